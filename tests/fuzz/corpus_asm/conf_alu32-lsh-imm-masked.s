mov32 %r0, 3
lsh32 %r0, 33
exit
