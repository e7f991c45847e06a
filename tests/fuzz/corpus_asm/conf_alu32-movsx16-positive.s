lddw %r1, 0xffffffffffff7fff
movsx1632 %r0, %r1
exit
