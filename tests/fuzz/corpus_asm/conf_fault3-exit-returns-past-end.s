ja +2
mov %r0, 7
exit
call local -3
