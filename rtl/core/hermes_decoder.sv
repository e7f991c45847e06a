// SPDX-License-Identifier: MIT
// eBPF instruction decoder: classifies one 64-bit slot and applies every
// legality rule of docs/ISA.md "Decoding rules" (illegal_o: fault 4).
// Purely combinational; the engine uses it in its decode stage.
//
// Legality is computed apart from the classification, flat: what the
// opcode alone allows and which field rules it imposes (a function of 8
// bits), beside the field tests (off, imm, dst, src), ORed once. Written
// inside the case below, each rule's test waited for the case's select
// and the check was 8 LUTs deep on the fetch-to-decode path.
module hermes_decoder (
  input  logic [63:0] insn_i,
  output logic        illegal_o,
  output logic        alu_o,         // ALU/ALU64 except div/mod
  output hermes_core_pkg::alu_op_t alu_op_o,  // hermes_alu's one-hot operation
  output logic        div_o,         // div, mod, sdiv, smod
  output logic        mul_o,         // mul (hermes_multiplier, not the ALU)
  output logic        alu64_o,       // ALU64 class
  output logic        div_signed_o,  // sdiv/smod (off 1)
  output logic        div_mod_o,     // mod/smod
  output logic        lddw_o,
  output logic        load_o,        // LDX
  output logic        memsx_o,       // LDX with MEMSX mode
  output logic        store_o,       // ST/STX with MEM mode
  output logic        st_imm_o,      // ST: the stored value is imm
  output logic        atomic_o,      // STX|ATOMIC
  output logic [1:0]  size_o,        // memory access, log2 bytes
  output logic        jmp_o,         // ja/ja32 and conditional jumps
  output logic        jmp32_o,       // JMP32 class
  output logic        imm_target_o,  // target = pc + imm + 1 (call, ja32)
  output logic        call_o,        // local call (src 1)
  output logic        helper_o,      // helper call (src 0): result in r0
  output logic        exit_o,
  output logic        srcx_o,        // register (X) source
  output logic        reads_dst_o,   // dst register is an operand
  output logic        reads_src_o,   // src register is an operand
  output logic        reads_r0_o,    // r0 is an operand (cmpxchg)
  output logic        rd_we_o,       // writes rd_o
  output logic [3:0]  rd_o,
  output logic        rd_from_mem_o  // rd_o gets a value read from memory
);

  logic [7:0]  opc;
  logic [2:0]  cls, mode;
  logic [3:0]  code, dst, src;
  logic [1:0]  sz;
  logic        x;
  logic [15:0] off;
  logic [31:0] imm;

  assign opc  = insn_i[7:0];
  assign cls  = opc[2:0];
  assign x    = opc[3];
  assign sz   = opc[4:3];
  assign code = opc[7:4];
  assign mode = opc[7:5];
  assign dst  = insn_i[11:8];
  assign src  = insn_i[15:12];
  assign off  = insn_i[31:16];
  assign imm  = insn_i[63:32];

  // Decodes both the classification and the legality use: a conditional
  // jump's code, and an atomic's operation (those that fetch into src
  // write it; cmpxchg writes r0).
  logic cond_jmp, amo_cmpxchg, amo_w_src, amo_plain;
  always_comb begin
    unique case (code)
      hermes_core_pkg::JMP_JEQ, hermes_core_pkg::JMP_JGT, hermes_core_pkg::JMP_JGE,
      hermes_core_pkg::JMP_JSET, hermes_core_pkg::JMP_JNE, hermes_core_pkg::JMP_JSGT,
      hermes_core_pkg::JMP_JSGE, hermes_core_pkg::JMP_JLT, hermes_core_pkg::JMP_JLE,
      hermes_core_pkg::JMP_JSLT, hermes_core_pkg::JMP_JSLE: cond_jmp = 1'b1;
      default:                                              cond_jmp = 1'b0;
    endcase
    amo_cmpxchg = (imm[7:0] == hermes_core_pkg::AMO_CMPXCHG);
    amo_w_src   = (imm[7:0] == hermes_core_pkg::AMO_XCHG) ||
                  (imm[7:0] == (hermes_core_pkg::AMO_ADD | hermes_core_pkg::AMO_FETCH)) ||
                  (imm[7:0] == (hermes_core_pkg::AMO_OR  | hermes_core_pkg::AMO_FETCH)) ||
                  (imm[7:0] == (hermes_core_pkg::AMO_AND | hermes_core_pkg::AMO_FETCH)) ||
                  (imm[7:0] == (hermes_core_pkg::AMO_XOR | hermes_core_pkg::AMO_FETCH));
    amo_plain   = (imm[7:0] == hermes_core_pkg::AMO_ADD) || (imm[7:0] == hermes_core_pkg::AMO_OR) ||
                  (imm[7:0] == hermes_core_pkg::AMO_AND) || (imm[7:0] == hermes_core_pkg::AMO_XOR);
  end

  // The ALU's operation, whatever the class (EX uses the ALU's result only
  // for the ALU classes).
  always_comb begin
    alu_op_o       = '0;
    alu_op_o.add   = (code == hermes_core_pkg::ALU_ADD) || (code == hermes_core_pkg::ALU_SUB) ||
                     (code == hermes_core_pkg::ALU_NEG);
    alu_op_o.sub   = (code == hermes_core_pkg::ALU_SUB) || (code == hermes_core_pkg::ALU_NEG);
    alu_op_o.neg   = (code == hermes_core_pkg::ALU_NEG);
    alu_op_o.orr   = (code == hermes_core_pkg::ALU_OR);
    alu_op_o.andd  = (code == hermes_core_pkg::ALU_AND);
    alu_op_o.xorr  = (code == hermes_core_pkg::ALU_XOR);
    alu_op_o.lsh   = (code == hermes_core_pkg::ALU_LSH);
    alu_op_o.rsh   = (code == hermes_core_pkg::ALU_RSH) || (code == hermes_core_pkg::ALU_ARSH);
    alu_op_o.arith = (code == hermes_core_pkg::ALU_ARSH);
    alu_op_o.mov   = (code == hermes_core_pkg::ALU_MOV);
    unique case (off)
      16'd8:   alu_op_o.movsx = 2'd1;
      16'd16:  alu_op_o.movsx = 2'd2;
      16'd32:  alu_op_o.movsx = 2'd3;
      default: alu_op_o.movsx = 2'd0;
    endcase
    alu_op_o.endn  = (code == hermes_core_pkg::ALU_END);
    alu_op_o.bswap = (cls == hermes_core_pkg::CLS_ALU64) || x;
    alu_op_o.endw  = imm[4] ? 2'd0 : imm[5] ? 2'd1 : 2'd2;
    alu_op_o.is64  = (cls == hermes_core_pkg::CLS_ALU64);
    alu_op_o.zext  = !((cls == hermes_core_pkg::CLS_ALU64) || code == hermes_core_pkg::ALU_END);
  end

  always_comb begin
    alu_o         = 1'b0;
    div_o         = 1'b0;
    mul_o         = 1'b0;
    alu64_o       = (cls == hermes_core_pkg::CLS_ALU64);
    div_signed_o  = off[0];
    div_mod_o     = (code == hermes_core_pkg::ALU_MOD);
    lddw_o        = 1'b0;
    load_o        = 1'b0;
    memsx_o       = 1'b0;
    store_o       = 1'b0;
    st_imm_o      = 1'b0;
    atomic_o      = 1'b0;
    jmp_o         = 1'b0;
    jmp32_o       = (cls == hermes_core_pkg::CLS_JMP32);
    imm_target_o  = 1'b0;
    call_o        = 1'b0;
    helper_o      = 1'b0;
    exit_o        = 1'b0;
    srcx_o        = x;
    reads_dst_o   = 1'b0;
    reads_src_o   = 1'b0;
    reads_r0_o    = 1'b0;
    rd_we_o       = 1'b0;
    rd_o          = dst;
    rd_from_mem_o = 1'b0;
    // W=4 B, H=2 B, B=1 B, DW=8 B as log2 bytes.
    unique case (sz)
      hermes_core_pkg::SZ_W:  size_o = 2'd2;
      hermes_core_pkg::SZ_H:  size_o = 2'd1;
      hermes_core_pkg::SZ_B:  size_o = 2'd0;
      default:                size_o = 2'd3;
    endcase

    unique case (cls)
      hermes_core_pkg::CLS_ALU, hermes_core_pkg::CLS_ALU64: begin
        rd_we_o    = 1'b1;
        unique case (code)
          hermes_core_pkg::ALU_ADD, hermes_core_pkg::ALU_SUB,
          hermes_core_pkg::ALU_OR, hermes_core_pkg::ALU_AND, hermes_core_pkg::ALU_LSH,
          hermes_core_pkg::ALU_RSH, hermes_core_pkg::ALU_XOR, hermes_core_pkg::ALU_ARSH: begin
            alu_o       = 1'b1;
            reads_dst_o = 1'b1;
            reads_src_o = x;
          end
          hermes_core_pkg::ALU_MUL: begin
            mul_o       = 1'b1;
            reads_dst_o = 1'b1;
            reads_src_o = x;
          end
          hermes_core_pkg::ALU_DIV, hermes_core_pkg::ALU_MOD: begin
            div_o       = 1'b1;
            reads_dst_o = 1'b1;
            reads_src_o = x;
          end
          hermes_core_pkg::ALU_NEG: begin
            alu_o       = 1'b1;
            reads_dst_o = 1'b1;
          end
          hermes_core_pkg::ALU_MOV: begin
            alu_o       = 1'b1;
            reads_src_o = x;
          end
          hermes_core_pkg::ALU_END: begin
            alu_o       = 1'b1;
            reads_dst_o = 1'b1;
          end
          default: ;
        endcase
      end

      hermes_core_pkg::CLS_LD: begin
        if (opc == hermes_core_pkg::OP_LDDW && src == 4'd0) begin
          lddw_o  = 1'b1;
          rd_we_o = 1'b1;
        end
      end

      hermes_core_pkg::CLS_LDX: begin
        load_o        = 1'b1;
        reads_src_o   = 1'b1;
        rd_we_o       = 1'b1;
        rd_from_mem_o = 1'b1;
        if (mode == hermes_core_pkg::MODE_MEMSX && sz != hermes_core_pkg::SZ_DW) memsx_o = 1'b1;
      end

      hermes_core_pkg::CLS_ST: begin
        store_o     = 1'b1;
        st_imm_o    = 1'b1;
        reads_dst_o = 1'b1;
      end

      hermes_core_pkg::CLS_STX: begin
        reads_dst_o = 1'b1;
        reads_src_o = 1'b1;
        if (mode == hermes_core_pkg::MODE_MEM) begin
          store_o = 1'b1;
        end else if (mode == hermes_core_pkg::MODE_ATOMIC &&
                     (sz == hermes_core_pkg::SZ_W || sz == hermes_core_pkg::SZ_DW)) begin
          atomic_o = 1'b1;
          if (amo_cmpxchg) begin
            reads_r0_o    = 1'b1;
            rd_we_o       = 1'b1;
            rd_o          = 4'd0;
            rd_from_mem_o = 1'b1;
          end else if (amo_w_src) begin
            rd_we_o       = 1'b1;
            rd_o          = src;
            rd_from_mem_o = 1'b1;
          end
        end
      end

      hermes_core_pkg::CLS_JMP, hermes_core_pkg::CLS_JMP32: begin
        unique case (code)
          hermes_core_pkg::JMP_JA: begin
            jmp_o        = 1'b1;
            imm_target_o = jmp32_o;
          end
          hermes_core_pkg::JMP_CALL: begin
            imm_target_o = 1'b1;
            if (!x && !jmp32_o) begin
              if (src == 4'd0) begin
                // A helper's result goes to r0 (from EX, not memory).
                helper_o = 1'b1;
                rd_we_o  = 1'b1;
                rd_o     = 4'd0;
              end else if (src == 4'd1) begin
                call_o = 1'b1;
              end
            end
          end
          hermes_core_pkg::JMP_EXIT: begin
            exit_o = 1'b1;
          end
          default: begin
            jmp_o       = cond_jmp;
            reads_dst_o = cond_jmp;
            reads_src_o = cond_jmp && x;
          end
        endcase
      end
    endcase
  end

  // ---- legality (see the header) ----
  // What the opcode allows (op_ok), the field rules it imposes (need_*),
  // and which registers it reads (r: at most r10) and writes (w: not r10).
  logic op_ok, need_off01, need_off0, need_movsx, need_end_imm, need_src0, need_src01, need_amo;
  logic r_dst, r_src, w_dst;
  always_comb begin
    op_ok        = 1'b0;
    need_off01   = 1'b0;
    need_off0    = 1'b0;
    need_movsx   = 1'b0;
    need_end_imm = 1'b0;
    need_src0    = 1'b0;
    need_src01   = 1'b0;
    need_amo     = 1'b0;
    r_dst        = 1'b0;
    r_src        = 1'b0;
    w_dst        = 1'b0;
    unique case (cls)
      hermes_core_pkg::CLS_ALU, hermes_core_pkg::CLS_ALU64: begin
        r_dst = 1'b1;
        w_dst = 1'b1;
        unique case (code)
          hermes_core_pkg::ALU_ADD, hermes_core_pkg::ALU_SUB, hermes_core_pkg::ALU_MUL,
          hermes_core_pkg::ALU_OR, hermes_core_pkg::ALU_AND, hermes_core_pkg::ALU_LSH,
          hermes_core_pkg::ALU_RSH, hermes_core_pkg::ALU_XOR, hermes_core_pkg::ALU_ARSH: begin
            op_ok = 1'b1;
            r_src = x;
          end
          hermes_core_pkg::ALU_DIV, hermes_core_pkg::ALU_MOD: begin
            op_ok      = 1'b1;
            r_src      = x;
            need_off01 = 1'b1;
          end
          hermes_core_pkg::ALU_NEG: op_ok = !x;
          hermes_core_pkg::ALU_MOV: begin
            op_ok      = 1'b1;
            r_src      = x;
            need_off0  = !x;
            need_movsx = x;
          end
          hermes_core_pkg::ALU_END: begin
            op_ok        = !(alu64_o && x);
            need_end_imm = 1'b1;
          end
          default: ;
        endcase
      end
      hermes_core_pkg::CLS_LD: begin
        op_ok     = (opc == hermes_core_pkg::OP_LDDW);
        need_src0 = 1'b1;
        r_dst     = 1'b1;
        w_dst     = 1'b1;
      end
      hermes_core_pkg::CLS_LDX: begin
        op_ok = (mode == hermes_core_pkg::MODE_MEMSX && sz != hermes_core_pkg::SZ_DW) ||
                (mode == hermes_core_pkg::MODE_MEM);
        r_dst = 1'b1;
        r_src = 1'b1;
        w_dst = 1'b1;
      end
      hermes_core_pkg::CLS_ST: begin
        op_ok = (mode == hermes_core_pkg::MODE_MEM);
        r_dst = 1'b1;
      end
      hermes_core_pkg::CLS_STX: begin
        op_ok    = (mode == hermes_core_pkg::MODE_MEM) ||
                   (mode == hermes_core_pkg::MODE_ATOMIC &&
                    (sz == hermes_core_pkg::SZ_W || sz == hermes_core_pkg::SZ_DW));
        need_amo = (mode == hermes_core_pkg::MODE_ATOMIC);
        r_dst    = 1'b1;
        r_src    = 1'b1;
      end
      default: begin // CLS_JMP, CLS_JMP32
        unique case (code)
          hermes_core_pkg::JMP_JA: op_ok = !x;
          hermes_core_pkg::JMP_CALL: begin
            op_ok      = !x && !jmp32_o;
            need_src01 = 1'b1;
          end
          hermes_core_pkg::JMP_EXIT: op_ok = !x && !jmp32_o;
          default: begin
            op_ok = cond_jmp;
            r_dst = cond_jmp;
            r_src = cond_jmp && x;
          end
        endcase
      end
    endcase
  end

  // The field tests, side by side with the opcode's rules.
  logic off0, off1, movsx_ok, end_imm_ok, amo_ok;
  assign off0       = (off == 16'd0);
  assign off1       = (off == 16'd1);
  assign movsx_ok   = off0 || off == 16'd8 || off == 16'd16 || (off == 16'd32 && alu64_o);
  assign end_imm_ok = (imm == 32'd16) || (imm == 32'd32) || (imm == 32'd64);
  assign amo_ok     = (imm[31:8] == 24'b0) && (amo_cmpxchg || amo_w_src || amo_plain);

  assign illegal_o = !op_ok ||
                     (need_off01 && !(off0 || off1)) ||
                     (need_off0 && !off0) ||
                     (need_movsx && !movsx_ok) ||
                     (need_end_imm && !end_imm_ok) ||
                     (need_src0 && src != 4'd0) ||
                     (need_src01 && src != 4'd0 && src != 4'd1) ||
                     (need_amo && !amo_ok) ||
                     (r_dst && dst > 4'd10) ||
                     (r_src && src > 4'd10) ||
                     (w_dst && dst == 4'd10) ||
                     (need_amo && amo_w_src && src == 4'd10);

endmodule
