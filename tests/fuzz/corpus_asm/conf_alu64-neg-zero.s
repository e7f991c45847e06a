mov %r0, 0
neg %r0
exit
