mov %r0, 5
call local f
exit
f:
add %r0, 1
exit
