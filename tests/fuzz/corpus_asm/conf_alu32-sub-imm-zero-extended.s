mov32 %r0, 1
sub32 %r0, 2
exit
