lddw %r0, 0x8000000000000000
neg %r0
exit
