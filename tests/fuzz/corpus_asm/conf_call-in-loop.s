mov %r6, 0
mov %r7, 5
loop:
call local f
add %r6, %r0
sub %r7, 1
jne %r7, 0, loop
mov %r0, %r6
exit
f:
mov %r0, %r7
mul %r0, %r7
exit
