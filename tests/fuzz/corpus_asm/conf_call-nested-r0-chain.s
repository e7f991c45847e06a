call local f
add %r0, 100
exit
f:
call local g
add %r0, 10
exit
g:
mov %r0, 1
exit
