mov32 %r0, 1
lsh32 %r0, 31
exit
