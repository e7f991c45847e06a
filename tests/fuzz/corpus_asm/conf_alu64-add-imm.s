mov %r0, 5
add %r0, 7
exit
