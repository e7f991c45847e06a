mov %r0, 0
call local f
exit
f:
add %r0, 1
jge %r0, 7, +2
call local f
exit
mov %r0, %r10
exit
