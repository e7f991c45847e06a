mov %r1, 0x80
movsx832 %r0, %r1
exit
