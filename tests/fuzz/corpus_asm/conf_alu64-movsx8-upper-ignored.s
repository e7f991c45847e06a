lddw %r1, 0x12345678abcdef7f
movsx864 %r0, %r1
exit
