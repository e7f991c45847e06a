// SPDX-License-Identifier: MIT
// conformance_plugin_elf: `hermes conformance-plugin --elf` runs this object
// with memory "08 00 00 00" and must print 2a (8 + 34).
__attribute__((section("prog"), used)) unsigned long plugin_elf(const unsigned int *mem)
{
	return mem[0] + 34;
}
