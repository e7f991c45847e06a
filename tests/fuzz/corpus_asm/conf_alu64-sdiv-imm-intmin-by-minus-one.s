lddw %r0, 0x8000000000000000
sdiv %r0, -1
exit
