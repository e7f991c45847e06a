lddw %r1, 0xffffffff7fffffff
movsx3264 %r0, %r1
exit
