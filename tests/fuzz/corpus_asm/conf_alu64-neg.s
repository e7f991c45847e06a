mov %r0, 5
neg %r0
exit
