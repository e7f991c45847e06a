mov %r3, 0
stb [%r3+8], 1
