ja main
f:
mov %r0, 9
exit
main:
call local f
exit
