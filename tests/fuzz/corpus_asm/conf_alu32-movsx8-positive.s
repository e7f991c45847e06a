lddw %r1, 0xffffffffffffff7f
movsx832 %r0, %r1
exit
