#!/bin/sh
# Generates the ELF fixtures in this directory (run from it):
#   libplanted.so        planted.c built as a stripped shared library
#   libplanted-nosections.so  the same without section headers (as sstrip leaves it)
#   libplanted-badshoff.so    section headers said to lie past the end
# goplanted/ is built for linux/arm64 by the test itself (too big to commit).
set -eu
gcc -shared -fPIC -Os -s -o libplanted.so planted.c
# e_shoff (0x28, 8 bytes), e_shnum (0x3c) and e_shstrndx (0x3e) of an ELF64 header.
cp libplanted.so libplanted-nosections.so
printf '\0\0\0\0\0\0\0\0' | dd of=libplanted-nosections.so bs=1 seek=40 conv=notrunc status=none
printf '\0\0\0\0' | dd of=libplanted-nosections.so bs=1 seek=60 conv=notrunc status=none
cp libplanted.so libplanted-badshoff.so
printf '\0\0\0\0\0\0\0\177' | dd of=libplanted-badshoff.so bs=1 seek=40 conv=notrunc status=none
