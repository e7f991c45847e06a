mov %r1, 0x8000
movsx1632 %r0, %r1
exit
