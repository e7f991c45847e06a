mov %r0, 100
div %r0, 7
exit
