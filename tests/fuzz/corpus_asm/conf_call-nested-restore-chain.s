mov %r6, 1
call local f
mov %r0, %r6
exit
f:
mov %r6, 2
call local g
mov %r0, %r6
exit
g:
mov %r6, 3
exit
