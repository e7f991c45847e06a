mov %r0, 3
sub %r0, 5
exit
