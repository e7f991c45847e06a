mov %r0, 5
neg32 %r0
exit
