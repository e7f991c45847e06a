// SPDX-License-Identifier: MIT
// The read-modify-write of one eBPF atomic (STX|ATOMIC), purely
// combinational. Shared by the engine (stack atomics) and hermes_slot_mem
// (data/program slot atomics, atomic across engines).
//
//   op_i       the instruction's imm[7:0] (add/or/and/xor, each optionally
//              | FETCH, xchg, cmpxchg; anything else: no store)
//   size_i     log2 bytes as on the dmem port: 2 = W (32 bit), 3 = DW
//   old_i      memory before the operation (upper half ignored for W)
//   operand_i  the src register (upper half ignored for W)
//   cmp_i      r0, the cmpxchg compare value (upper half ignored for W)
//   new_o      the value to write, zero-extended for W (meaningful when
//              we_o is 1; memory afterwards is we_o ? new_o : the old value)
//   we_o       1 when memory must be written with new_o (0 for a cmpxchg
//              whose compare failed and for unknown operations)
//   fetch_o    the value a fetching form returns to its register: the old
//              value, zero-extended for W
module hermes_amo_alu (
  input  logic [7:0]  op_i,
  input  logic [1:0]  size_i,
  input  logic [63:0] old_i,
  input  logic [63:0] operand_i,
  input  logic [63:0] cmp_i,
  output logic [63:0] new_o,
  output logic        we_o,
  output logic [63:0] fetch_o
);

  logic        is_w;
  logic [63:0] old_v, opd_v, cmp_v, calc;

  assign is_w  = (size_i != 2'd3);
  assign old_v = is_w ? {32'b0, old_i[31:0]} : old_i;
  assign opd_v = is_w ? {32'b0, operand_i[31:0]} : operand_i;
  assign cmp_v = is_w ? {32'b0, cmp_i[31:0]} : cmp_i;

  // Operation from imm[7:4]; imm[3:1] must be 0, imm[0] is FETCH (which
  // xchg and cmpxchg require). One-hot selects keep this a flat AND-OR.
  logic [3:0] fn;
  logic       fetch, sel_add, sel_or, sel_and, sel_xor, sel_xchg, sel_cmpxchg, known;
  assign fn          = op_i[7:4];
  assign fetch       = op_i[0];
  assign sel_add     = (fn == hermes_core_pkg::AMO_ADD[7:4]);
  assign sel_or      = (fn == hermes_core_pkg::AMO_OR[7:4]);
  assign sel_and     = (fn == hermes_core_pkg::AMO_AND[7:4]);
  assign sel_xor     = (fn == hermes_core_pkg::AMO_XOR[7:4]);
  assign sel_xchg    = (fn == hermes_core_pkg::AMO_XCHG[7:4]) && fetch;
  assign sel_cmpxchg = (fn == hermes_core_pkg::AMO_CMPXCHG[7:4]) && fetch;
  assign known       = (op_i[3:1] == 3'b0) &&
                       (sel_add || sel_or || sel_and || sel_xor || sel_xchg || sel_cmpxchg);

  assign calc = ({64{sel_add}} & (old_v + opd_v)) |
                ({64{sel_or}}  & (old_v | opd_v)) |
                ({64{sel_and}} & (old_v & opd_v)) |
                ({64{sel_xor}} & (old_v ^ opd_v)) |
                ({64{sel_xchg || sel_cmpxchg}} & opd_v);
  assign we_o = known && (!sel_cmpxchg || old_v == cmp_v);

  assign new_o   = is_w ? {32'b0, calc[31:0]} : calc;
  assign fetch_o = old_v;

endmodule
