mov32 %r1, 0x80000000
movsx3264 %r0, %r1
exit
