"""Builds a benchmarks jar against another build of the library, so that one benchmark source can be measured on two
library versions with identical benchmark bytecode: every library entry (outside META-INF) of BENCH that NEWLIB
holds is dropped, and OLDLIB's entries are put in instead.

    python3 swap-library.py BENCH NEWLIB OLDLIB OUT
"""
import sys
import zipfile

bench, newlib, oldlib, out = sys.argv[1:]
library = {n for n in zipfile.ZipFile(newlib).namelist() if not n.startswith('META-INF/')}
old = zipfile.ZipFile(oldlib)
with zipfile.ZipFile(bench) as src, zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as dst:
    kept = set()
    for info in src.infolist():
        if info.filename not in library:
            dst.writestr(info, src.read(info.filename))
            kept.add(info.filename)
    added = 0
    for info in old.infolist():
        if not info.filename.startswith('META-INF/') and info.filename not in kept:
            dst.writestr(info, old.read(info.filename))
            added += 1
print(len(library), 'library entries replaced by', added)
