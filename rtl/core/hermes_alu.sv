// SPDX-License-Identifier: MIT
// eBPF ALU/ALU64 operations except mul (hermes_multiplier) and div/mod
// (hermes_divider), single cycle. The operation comes decoded (alu_op_t:
// one-hot selects from ID's decoder, registered), so no logic level goes
// to the opcode: operands -> adder, logic op, shifter, mov or byte swap ->
// the selected result (an AND-OR) -> the 32-bit zero extension.
//   a_i  dst register;  b_i  src register or the sign-extended imm
module hermes_alu (
  input  hermes_core_pkg::alu_op_t op_i,
  input  logic [63:0]              a_i,
  input  logic [63:0]              b_i,
  output logic [63:0]              result_o
);

  logic [63:0] add_x, add_y, addsub, shl, shr, mov_res, end_res, res;
  logic [5:0]  shamt;
  logic [64:0] shr_in;

  // add, sub (a + ~b + 1) and neg (~a + 0 + 1) share one adder; its
  // operands are an XOR and an AND-XOR of registered selects, which the
  // carry chain's input LUTs take.
  assign add_x  = a_i ^ {64{op_i.neg}};
  assign add_y  = (b_i & {64{!op_i.neg}}) ^ {64{op_i.sub && !op_i.neg}};
  assign addsub = add_x + add_y + {63'b0, op_i.sub};

  // Separate left and right shifters: no bit reversal in the path.
  assign shamt  = {op_i.is64 & b_i[5], b_i[4:0]};
  assign shl    = a_i << shamt;
  assign shr_in = op_i.is64 ? {op_i.arith & a_i[63], a_i} :
                              {{33{op_i.arith & a_i[31]}}, a_i[31:0]};
  assign shr    = 64'($signed(shr_in) >>> shamt);

  // mov / movsx (the decoder allows the widths only with a register source).
  always_comb begin
    unique case (op_i.movsx)
      2'd1:    mov_res = {{56{b_i[7]}}, b_i[7:0]};
      2'd2:    mov_res = {{48{b_i[15]}}, b_i[15:0]};
      2'd3:    mov_res = {{32{b_i[31]}}, b_i[31:0]};
      default: mov_res = b_i;
    endcase
  end

  // le (truncate) / be and bswap (byte swap), width 16/32/64.
  always_comb begin
    if (op_i.bswap) begin
      unique case (op_i.endw)
        2'd0:    end_res = {48'b0, a_i[7:0], a_i[15:8]};
        2'd1:    end_res = {32'b0, a_i[7:0], a_i[15:8], a_i[23:16], a_i[31:24]};
        default: end_res = {a_i[7:0], a_i[15:8], a_i[23:16], a_i[31:24],
                            a_i[39:32], a_i[47:40], a_i[55:48], a_i[63:56]};
      endcase
    end else begin
      unique case (op_i.endw)
        2'd0:    end_res = {48'b0, a_i[15:0]};
        2'd1:    end_res = {32'b0, a_i[31:0]};
        default: end_res = a_i;
      endcase
    end
  end

  // One-hot selects: an AND-OR in hardware; written with ?: so that the
  // verilated model computes only the selected result (C++ evaluates one
  // side of ?:), and with no unique case (whose check would fire on the
  // unreset ID/EX register before the first instruction).
  assign res = (op_i.add  ? addsub      : 64'b0) |
               (op_i.orr  ? (a_i | b_i) : 64'b0) |
               (op_i.andd ? (a_i & b_i) : 64'b0) |
               (op_i.xorr ? (a_i ^ b_i) : 64'b0) |
               (op_i.lsh  ? shl         : 64'b0) |
               (op_i.rsh  ? shr         : 64'b0) |
               (op_i.mov  ? mov_res     : 64'b0) |
               (op_i.endn ? end_res     : 64'b0);
  assign result_o = {res[63:32] & {32{!op_i.zext}}, res[31:0]};

endmodule
