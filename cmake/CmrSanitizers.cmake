# CMRP_SANITIZE: a comma-separated list passed to -fsanitize (e.g. "address,undefined" or "thread") for the
# library and its tests. Off by default: the Maven build ships an uninstrumented library.
set(CMRP_SANITIZE "" CACHE STRING "Sanitizers for libcmrprobe and its tests (-fsanitize=...), empty for none")

function(cmr_enable_sanitizers target)
  if(CMRP_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${CMRP_SANITIZE} -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${CMRP_SANITIZE})
  endif()
endfunction()
