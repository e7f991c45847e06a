mov %r0, 99
div %r0, 0
exit
