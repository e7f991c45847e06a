// SPDX-License-Identifier: MIT
// eBPF ALU/ALU64 operations except mul (hermes_multiplier) and div/mod
// (hermes_divider), single cycle.
//   op_i   opcode bits 7:4;  is64_i  ALU64 class;  srcx_i  opcode bit 3
//          (for END: 1 = to big endian)
//   off_i  movsx width (8/16/32) for mov X;  imm_i  END width (16/32/64)
//   a_i    dst register;  b_i  src register or the sign-extended imm
// ALU (32-bit) results are zero-extended, except END whose width is imm.
module hermes_alu (
  input  logic [3:0]  op_i,
  input  logic        is64_i,
  input  logic        srcx_i,
  input  logic [15:0] off_i,
  input  logic [31:0] imm_i,
  input  logic [63:0] a_i,
  input  logic [63:0] b_i,
  output logic [63:0] result_o
);

  logic [5:0]  shamt;
  logic        arith, lsh, sub, neg;
  logic [63:0] as_x, as_y, addsub;
  logic [63:0] a_rev, shl_res;
  logic [64:0] sh_in, sh_out;
  logic [63:0] mov_res, end_res, res;

  // add, sub and neg (0 - a) share one adder.
  assign neg    = (op_i == hermes_core_pkg::ALU_NEG);
  assign sub    = (op_i == hermes_core_pkg::ALU_SUB) || neg;
  assign as_x   = neg ? 64'd0 : a_i;
  assign as_y   = neg ? a_i : b_i;
  assign addsub = as_x + (sub ? ~as_y : as_y) + {63'b0, sub};

  // Bit reversal as swaps of halves, quarters, ... (wiring in hardware;
  // six word operations for the simulator, where a loop over the bits is
  // 64 of them in every engine every clock).
  function automatic logic [63:0] bitrev64(input logic [63:0] x);
    bitrev64 = {x[31:0], x[63:32]};
    bitrev64 = ((bitrev64 >> 16) & 64'h0000_ffff_0000_ffff) | ((bitrev64 & 64'h0000_ffff_0000_ffff) << 16);
    bitrev64 = ((bitrev64 >> 8)  & 64'h00ff_00ff_00ff_00ff) | ((bitrev64 & 64'h00ff_00ff_00ff_00ff) << 8);
    bitrev64 = ((bitrev64 >> 4)  & 64'h0f0f_0f0f_0f0f_0f0f) | ((bitrev64 & 64'h0f0f_0f0f_0f0f_0f0f) << 4);
    bitrev64 = ((bitrev64 >> 2)  & 64'h3333_3333_3333_3333) | ((bitrev64 & 64'h3333_3333_3333_3333) << 2);
    bitrev64 = ((bitrev64 >> 1)  & 64'h5555_5555_5555_5555) | ((bitrev64 & 64'h5555_5555_5555_5555) << 1);
  endfunction

  // One right shifter (65 bits, the top bit is the fill); a left shift
  // is a right shift of the bit-reversed operand.
  assign shamt = is64_i ? b_i[5:0] : {1'b0, b_i[4:0]};
  assign arith = (op_i == hermes_core_pkg::ALU_ARSH);
  assign lsh   = (op_i == hermes_core_pkg::ALU_LSH);
  assign a_rev = bitrev64(a_i);
  assign sh_in  = lsh    ? {1'b0, a_rev} :
                  is64_i ? {arith & a_i[63], a_i} :
                           {{33{arith & a_i[31]}}, a_i[31:0]};
  assign sh_out = 65'($signed(sh_in) >>> shamt);
  assign shl_res = bitrev64(sh_out[63:0]);

  // mov / movsx (off 8/16/32 only with a register source; the decoder
  // rejects other widths).
  always_comb begin
    unique case (off_i)
      16'd8:   mov_res = {{56{b_i[7]}}, b_i[7:0]};
      16'd16:  mov_res = {{48{b_i[15]}}, b_i[15:0]};
      16'd32:  mov_res = {{32{b_i[31]}}, b_i[31:0]};
      default: mov_res = b_i;
    endcase
  end

  // le (truncate) / be and bswap (byte swap), width 16/32/64.
  always_comb begin
    if (is64_i || srcx_i) begin
      if (imm_i[4])      end_res = {48'b0, a_i[7:0], a_i[15:8]};
      else if (imm_i[5]) end_res = {32'b0, a_i[7:0], a_i[15:8], a_i[23:16], a_i[31:24]};
      else               end_res = {a_i[7:0], a_i[15:8], a_i[23:16], a_i[31:24],
                                    a_i[39:32], a_i[47:40], a_i[55:48], a_i[63:56]};
    end else begin
      if (imm_i[4])      end_res = {48'b0, a_i[15:0]};
      else if (imm_i[5]) end_res = {32'b0, a_i[31:0]};
      else               end_res = a_i;
    end
  end

  always_comb begin
    unique case (op_i)
      hermes_core_pkg::ALU_ADD,
      hermes_core_pkg::ALU_SUB,
      hermes_core_pkg::ALU_NEG:  res = addsub;
      hermes_core_pkg::ALU_OR:   res = a_i | b_i;
      hermes_core_pkg::ALU_AND:  res = a_i & b_i;
      hermes_core_pkg::ALU_LSH:  res = shl_res;
      hermes_core_pkg::ALU_RSH,
      hermes_core_pkg::ALU_ARSH: res = sh_out[63:0];
      hermes_core_pkg::ALU_XOR:  res = a_i ^ b_i;
      hermes_core_pkg::ALU_MOV:  res = mov_res;
      hermes_core_pkg::ALU_END:  res = end_res;
      default:                   res = 64'b0;
    endcase
  end

  assign result_o = (is64_i || op_i == hermes_core_pkg::ALU_END) ? res : {32'b0, res[31:0]};

  logic unused_imm;
  assign unused_imm = ^{imm_i[31:6], imm_i[3:0], sh_out[64]};

endmodule
