mov %r1, 0x80
movsx864 %r0, %r1
exit
