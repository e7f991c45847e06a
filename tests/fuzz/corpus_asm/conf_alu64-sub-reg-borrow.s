lddw %r0, 0x100000000
mov %r1, 1
sub %r0, %r1
exit
