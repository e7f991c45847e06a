mov %r1, 0x8000
movsx1664 %r0, %r1
exit
