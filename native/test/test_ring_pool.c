/* The pool (multi-producer claim, in-order resolve) and the SPSC ring, without any vendor. */
#include <pthread.h>

#include "check.h"
#include "internal.h"

static void ring_returns_records_in_order_and_refuses_when_full(void) {
    cmrp_ring ring;
    CHECK_EQ(cmrp_ring_init(&ring, 4), 0);
    for (int i = 0; i < 4; i++) {
        cmrp_record r = {.tag = i, .device_ns = 100 + i, .queued_ns = 50 + i, .error_bound_ns = i * 10};
        CHECK_EQ(cmrp_ring_offer(&ring, &r), 0);
    }
    cmrp_record extra = {.tag = 99};
    CHECK_EQ(cmrp_ring_offer(&ring, &extra), -1);
    int64_t tags[8], device[8], queued[8], bound = -1;
    CHECK_EQ(cmrp_ring_poll(&ring, tags, device, queued, 3, &bound), 3);
    CHECK_EQ(tags[0], 0);
    CHECK_EQ(tags[2], 2);
    CHECK_EQ(device[1], 101);
    CHECK_EQ(queued[2], 52);
    CHECK_EQ(bound, 20);
    /* Space again after the poll; wrap-around keeps order. */
    CHECK_EQ(cmrp_ring_offer(&ring, &extra), 0);
    CHECK_EQ(cmrp_ring_poll(&ring, tags, NULL, NULL, 8, &bound), 2);
    CHECK_EQ(tags[0], 3);
    CHECK_EQ(tags[1], 99);
    CHECK_EQ(cmrp_ring_poll(&ring, tags, NULL, NULL, 8, &bound), 0);
    CHECK_EQ(bound, 0);
    cmrp_ring_free(&ring);
}

static void pool_hands_out_capacity_slots_then_refuses_until_resolved_in_order(void) {
    cmrp_pool pool;
    CHECK_EQ(cmrp_pool_init(&pool, 4), 0);
    cmrp_slot *slots[4];
    uint64_t pos;
    for (int i = 0; i < 4; i++) {
        slots[i] = cmrp_pool_claim(&pool, &pos);
        CHECK(slots[i] != NULL);
        CHECK_EQ(pos, i);
        slots[i]->tag = i;
    }
    CHECK(cmrp_pool_claim(&pool, &pos) == NULL);
    /* Nothing published yet: the resolver sees nothing even though slots are claimed. */
    CHECK(cmrp_pool_peek(&pool) == NULL);
    cmrp_pool_publish(slots[1], 1);
    CHECK(cmrp_pool_peek(&pool) == NULL); /* position 0 comes first */
    cmrp_pool_publish(slots[0], 0);
    CHECK(cmrp_pool_peek(&pool) == slots[0]);
    cmrp_pool_release(&pool, slots[0]);
    CHECK(cmrp_pool_peek(&pool) == slots[1]);
    /* One slot free again: the next claim reuses slot 0 at position 4. */
    cmrp_slot *again = cmrp_pool_claim(&pool, &pos);
    CHECK(again == slots[0]);
    CHECK_EQ(pos, 4);
    CHECK(cmrp_pool_claim(&pool, &pos) == NULL);
    cmrp_pool_free(&pool);
}

enum { PRODUCERS = 4, PER_PRODUCER = 20000, POOL = 64 };

typedef struct shared {
    cmrp_pool pool;
    _Atomic int64_t claimed;
    _Atomic int64_t refused;
    _Atomic int done_producers;
} shared;

static void *producer(void *arg) {
    shared *s = arg;
    for (int i = 0; i < PER_PRODUCER; i++) {
        uint64_t pos;
        cmrp_slot *slot = cmrp_pool_claim(&s->pool, &pos);
        if (!slot) {
            atomic_fetch_add(&s->refused, 1);
            continue;
        }
        slot->tag = (int64_t)pos;
        cmrp_pool_publish(slot, pos);
        atomic_fetch_add(&s->claimed, 1);
    }
    atomic_fetch_add(&s->done_producers, 1);
    return NULL;
}

static void concurrent_producers_lose_no_slot_and_resolver_sees_every_position_once_in_order(void) {
    static shared s;
    CHECK_EQ(cmrp_pool_init(&s.pool, POOL), 0);
    pthread_t threads[PRODUCERS];
    for (int i = 0; i < PRODUCERS; i++) {
        pthread_create(&threads[i], NULL, producer, &s);
    }
    int64_t resolved = 0;
    for (;;) {
        cmrp_slot *slot = cmrp_pool_peek(&s.pool);
        if (slot) {
            CHECK_EQ(slot->tag, resolved); /* each position exactly once, in claim order */
            cmrp_pool_release(&s.pool, slot);
            resolved++;
        } else if (atomic_load(&s.done_producers) == PRODUCERS && resolved == atomic_load(&s.claimed)) {
            break;
        }
    }
    for (int i = 0; i < PRODUCERS; i++) {
        pthread_join(threads[i], NULL);
    }
    CHECK_EQ(atomic_load(&s.claimed) + atomic_load(&s.refused), (int64_t)PRODUCERS * PER_PRODUCER);
    CHECK_EQ(resolved, atomic_load(&s.claimed));
    cmrp_pool_free(&s.pool);
}

static void capacities_must_be_powers_of_two_within_limits(void) {
    CHECK(cmrp_is_valid_capacity(2));
    CHECK(cmrp_is_valid_capacity(65536));
    CHECK(!cmrp_is_valid_capacity(1));
    CHECK(!cmrp_is_valid_capacity(3));
    CHECK(!cmrp_is_valid_capacity(131072));
    CHECK(!cmrp_is_valid_capacity(-4));
}

int main(void) {
    RUN(ring_returns_records_in_order_and_refuses_when_full);
    RUN(pool_hands_out_capacity_slots_then_refuses_until_resolved_in_order);
    RUN(concurrent_producers_lose_no_slot_and_resolver_sees_every_position_once_in_order);
    RUN(capacities_must_be_powers_of_two_within_limits);
    return 0;
}
