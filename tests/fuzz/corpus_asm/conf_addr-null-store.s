mov %r3, 0
stdw [%r3+16], 1
exit
