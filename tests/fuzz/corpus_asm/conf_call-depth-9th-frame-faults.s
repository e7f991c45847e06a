mov %r0, 0
call local f
exit
f:
add %r0, 1
jge %r0, 8, +1
call local f
call local f
exit
