// SPDX-License-Identifier: MIT
// Engine address translation and bounds checks (combinational, execute
// stage). ea = base + off; the access is in bounds when all its bytes lie
// in one region (docs/ISA.md "Memory"):
//   program 0x1000_0000  load anywhere in the slot, store/atomic only at
//                        offsets >= the program length
//   data    0x2000_0000  the whole data slot
//   stack   0x3000_0000  4 KiB, engine-local (stack_o, stack_off_o)
//   map     0x4000_0000  the map slot of the run's program slot: load
//                        anywhere, store/atomic only at offsets >= 0x9000
//                        (map storage; docs/MAPS.md)
// Program, data and map accesses become BAR4 addresses for the dmem port.
module hermes_lsu #(
  parameter int unsigned PROG_SLOT_BYTES = 32'h10000,
  parameter int unsigned DATA_SLOT_BYTES = 32'h100000,
  parameter int unsigned MAP_SLOT_BYTES  = 32'h40000
) (
  input  logic [63:0] base_i,
  input  logic [15:0] off_i,
  input  logic [1:0]  size_i,       // log2 bytes
  input  logic        store_i,      // store or atomic
  input  logic [31:0] prog_len_i,   // code bytes
  input  logic [31:0] prog_bar4_i,  // BAR4 address of the program slot
  input  logic [31:0] data_bar4_i,  // BAR4 address of the data slot
  input  logic [31:0] map_bar4_i,   // BAR4 address of the map slot
  output logic [63:0] ea_o,
  output logic        oob_o,
  output logic        stack_o,
  output logic [31:0] bar4_o,
  output logic [11:0] stack_off_o
);

  logic [3:0]  region;
  logic [27:0] offs;
  logic [28:0] last_end;
  logic        hi_zero, prog_ok, data_ok, stack_ok, map_ok;

  assign ea_o     = base_i + {{48{off_i[15]}}, off_i};
  assign hi_zero  = (ea_o[63:32] == 32'b0);
  assign region   = ea_o[31:28];
  assign offs     = ea_o[27:0];
  // One past the last byte, relative to the region base.
  assign last_end = {1'b0, offs} + (29'd1 << size_i);

  assign prog_ok  = hi_zero && region == hermes_core_pkg::REGION_PROG &&
                    last_end <= 29'(PROG_SLOT_BYTES) &&
                    (!store_i || {4'b0, offs} >= prog_len_i);
  assign data_ok  = hi_zero && region == hermes_core_pkg::REGION_DATA &&
                    last_end <= 29'(DATA_SLOT_BYTES);
  assign stack_ok = hi_zero && region == hermes_core_pkg::REGION_STACK &&
                    last_end <= 29'(hermes_core_pkg::STACK_BYTES);
  assign map_ok   = hi_zero && region == hermes_core_pkg::REGION_MAP &&
                    last_end <= 29'(MAP_SLOT_BYTES) &&
                    (!store_i || offs >= hermes_core_pkg::MAP_STORE_MIN);

  assign oob_o       = !(prog_ok || data_ok || stack_ok || map_ok);
  assign stack_o     = (region == hermes_core_pkg::REGION_STACK);
  assign bar4_o      = ((region == hermes_core_pkg::REGION_PROG) ? prog_bar4_i :
                        (region == hermes_core_pkg::REGION_MAP)  ? map_bar4_i : data_bar4_i) +
                       {4'b0, offs};
  assign stack_off_o = offs[11:0];

endmodule
