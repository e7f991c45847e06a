call local +1
exit
mov %r0, 1
