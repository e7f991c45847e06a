// SPDX-License-Identifier: MIT
// Condition of an eBPF JMP/JMP32 instruction.
//   op_i     opcode bits 7:4 (JA is always taken; call/exit/unknown: 0)
//   jmp32_i  compare the low 32 bits (signed compares on the 32-bit value)
//   a_i      dst register;  b_i  src register or imm sign-extended to 64
// The halves are compared separately: JMP32 uses the low half alone, JMP
// combines both. Signed compares flip the sign bit and compare unsigned.
module hermes_branch_cmp (
  input  logic [3:0]  op_i,
  input  logic        jmp32_i,
  input  logic [63:0] a_i,
  input  logic [63:0] b_i,
  output logic        taken_o
);

  logic        signed_op, flip_lo, flip_hi;
  logic        eq_lo, eq_hi, lt_lo, lt_hi, eq, lt, set;

  assign signed_op = (op_i == hermes_core_pkg::JMP_JSGT) || (op_i == hermes_core_pkg::JMP_JSGE) ||
                     (op_i == hermes_core_pkg::JMP_JSLT) || (op_i == hermes_core_pkg::JMP_JSLE);
  assign flip_lo   = signed_op && jmp32_i;
  assign flip_hi   = signed_op;

  assign eq_lo = (a_i[31:0] == b_i[31:0]);
  assign eq_hi = (a_i[63:32] == b_i[63:32]);
  assign lt_lo = {a_i[31] ^ flip_lo, a_i[30:0]} < {b_i[31] ^ flip_lo, b_i[30:0]};
  assign lt_hi = {a_i[63] ^ flip_hi, a_i[62:32]} < {b_i[63] ^ flip_hi, b_i[62:32]};

  assign eq  = eq_lo && (jmp32_i || eq_hi);
  assign lt  = jmp32_i ? lt_lo : (lt_hi || (eq_hi && lt_lo));
  assign set = |(a_i[31:0] & b_i[31:0]) || (!jmp32_i && |(a_i[63:32] & b_i[63:32]));

  always_comb begin
    unique case (op_i)
      hermes_core_pkg::JMP_JA:   taken_o = 1'b1;
      hermes_core_pkg::JMP_JEQ:  taken_o = eq;
      hermes_core_pkg::JMP_JGT,
      hermes_core_pkg::JMP_JSGT: taken_o = !lt && !eq;
      hermes_core_pkg::JMP_JGE,
      hermes_core_pkg::JMP_JSGE: taken_o = !lt;
      hermes_core_pkg::JMP_JSET: taken_o = set;
      hermes_core_pkg::JMP_JNE:  taken_o = !eq;
      hermes_core_pkg::JMP_JLT,
      hermes_core_pkg::JMP_JSLT: taken_o = lt;
      hermes_core_pkg::JMP_JLE,
      hermes_core_pkg::JMP_JSLE: taken_o = lt || eq;
      default:                   taken_o = 1'b0;
    endcase
  end

endmodule
