// SPDX-License-Identifier: MIT
// Decode stage of hermes_engine: decodes the slot the fetch read, reads
// its operands (the register written back this clock is read new),
// precomputes the jump target and whether the next slot is past the end,
// predicts, holds back an instruction whose operand is not ready
// (hazard), and holds the ID/EX register.
//
// Prediction: ja always, a conditional jump when its counter says taken,
// a call always, whether or not the slot is legal and its target inside
// the code: the next pc goes to the fetch in this clock, and those checks
// are deep (the decoder's legality, a 34-bit add and compare). EX faults
// on either before anything fetched behind it fires; a jump predicted
// taken to a target outside the code that falls through costs a
// mispredict. An exit from a callee goes to the return pc of the
// innermost open frame: the youngest call still in the pipeline (EX, MEM,
// WB, or saved in the last clock), else the frame the call stack reads
// now (no call or exit in EX changes the depth: an exit in EX is not
// followed). EX checks it against the frame it restores.
//
// Forwarding is decided here and registered with the instruction
// (id_ex_t fwd_*): an operand is the result of the instruction now in EX
// (in MEM next clock), else of the one now in MEM (in WB next clock), else
// the register file read with the write of this clock bypassed. EX then
// spends one select on its operands. While EX waits, its operands are
// refreshed with what it forwarded and the selects cleared (the producers
// move on).
//
// Load use: a value read from memory is never forwarded from MEM. Every
// use of a load's or an atomic's fetched value waits here while the
// producer is in EX, enters EX once the producer is in MEM, and takes the
// value from WB: usable the clock after it returns. (A slot load's value
// is the port's response in WB: EX holds its user until then and takes
// it into the operand register, hermes_ex_stage.)
// A mul's product is late the same way (MEM sums the multiplier's partial
// products), so a mul never waits in EX. One use does not wait: a store's
// value (not its address) from a load in EX. The store enters EX marked
// wdata_late and MEM takes the value from WB, where the load is by then:
// a store never waits in EX while its load leaves MEM (loads wait out the
// tag clear and stack atomics in EX before it), which is asserted.
// Nor does a conditional jump on a load's value that cannot fault either
// way (its target and the next slot inside the code): it passes EX
// undecided (jlate_*) and MEM decides it with the value from WB; what
// follows it into EX meanwhile fires only if it changes nothing before
// MEM (hermes_ex_stage), and MEM drops it on a mispredict.
// cmpxchg's r0 operand is not forwarded: it waits until no instruction in
// EX or MEM writes r0 (WB is bypassed).
module hermes_id_stage #(
  parameter int unsigned PROG_SLOT_BYTES = hermes_pkg::DEFAULT_PROG_SLOT_SIZE,
  parameter int unsigned DATA_SLOT_BYTES = hermes_pkg::DEFAULT_DATA_SLOT_SIZE,
  parameter int unsigned MAP_SLOT_BYTES  = hermes_pkg::DEFAULT_MAP_SLOT_SIZE
) (
  input  logic                         clk_i,
  input  logic                         rst_ni,
  input  logic                         start_i,

  // The IF/ID register.
  input  logic                         id_valid_i,
  input  logic [31:0]                  id_pc_i,
  input  logic [63:0]                  id_insn_i,
  input  logic [63:0]                  id_insn2_i,
  input  logic [1:0]                   id_ctr_i,
  input  logic [31:0]                  code_words_i,
  input  logic [31:0]                  prog_len_i,    // code bytes (a store's lower bound)
  output hermes_core_pkg::id_next_t    id_next_o,     // what is fetched after it
  output logic                         id_to_ex_o,

  // Register file read ports (dst, src) and r0; the write in WB.
  output logic [3:0]                   rf_raddr_a_o,
  output logic [3:0]                   rf_raddr_b_o,
  input  logic [63:0]                  rf_a_i,
  input  logic [63:0]                  rf_b_i,
  input  logic [63:0]                  rf_r0_i,
  input  logic                         wb_rf_we_i,
  input  logic [7:0]                   wb_rd_i,
  input  logic [63:0]                  wb_rd_value_i,

  // Open frames: calls in MEM/WB, a frame saved in the last clock, the
  // call stack's top, the depth.
  input  logic                         mem_call_i,
  input  logic [31:0]                  mem_seq_pc_i,
  input  logic                         wb_call_i,
  input  logic [31:0]                  wb_seq_pc_i,
  input  logic                         cs_fresh_i,
  input  logic [31:0]                  cs_fresh_pc_i,
  input  logic [31:0]                  cs_ret_pc_i,
  input  logic [2:0]                   depth_i,

  // The register the instruction in EX writes (if it fires) and the one
  // MEM writes: forwarding sources for the instruction entering EX.
  input  logic                         ex_rd_we_i,
  input  logic [3:0]                   ex_rd_i,
  input  logic                         mem_rd_we_i,
  input  logic [3:0]                   mem_rd_i,
  input  logic                         mem_port_load_i, // ... a slot load (its value comes in WB)

  // Stage control from EX; its forwarded operands while it waits.
  input  logic                         stop_i,
  input  logic                         redir_i,
  input  logic                         ex_ready_i,
  input  logic                         ex_live_i,
  input  logic [63:0]                  ex_a_i,
  input  logic [63:0]                  ex_b_i,
  input  logic                         ex_keep_a_i,   // ... but WB's slot load is still to answer
  input  logic                         ex_keep_b_i,

  // The ID/EX register.
  output logic                         ex_valid_o,
  output hermes_core_pkg::id_ex_t      ex_o
);

  logic       d_illegal, d_alu, d_div, d_mul, d_alu64, d_div_signed, d_div_mod, d_lddw, d_load;
  logic       d_memsx, d_store, d_st_imm, d_atomic, d_jmp, d_jmp32, d_imm_target;
  logic       d_call, d_helper, d_exit, d_srcx, d_reads_dst, d_reads_src, d_reads_r0;
  logic       d_rd_we, d_from_mem;
  logic [1:0] d_size;
  logic [3:0] d_rd;
  hermes_core_pkg::alu_op_t d_alu_op;

  hermes_decoder u_decoder (
    .insn_i        (id_insn_i),
    .illegal_o     (d_illegal),
    .alu_o         (d_alu),
    .alu_op_o      (d_alu_op),
    .div_o         (d_div),
    .mul_o         (d_mul),
    .alu64_o       (d_alu64),
    .div_signed_o  (d_div_signed),
    .div_mod_o     (d_div_mod),
    .lddw_o        (d_lddw),
    .load_o        (d_load),
    .memsx_o       (d_memsx),
    .store_o       (d_store),
    .st_imm_o      (d_st_imm),
    .atomic_o      (d_atomic),
    .size_o        (d_size),
    .jmp_o         (d_jmp),
    .jmp32_o       (d_jmp32),
    .imm_target_o  (d_imm_target),
    .call_o        (d_call),
    .helper_o      (d_helper),
    .exit_o        (d_exit),
    .srcx_o        (d_srcx),
    .reads_dst_o   (d_reads_dst),
    .reads_src_o   (d_reads_src),
    .reads_r0_o    (d_reads_r0),
    .rd_we_o       (d_rd_we),
    .rd_o          (d_rd),
    .rd_from_mem_o (d_from_mem)
  );

  logic        ex_valid_q;
  hermes_core_pkg::id_ex_t      ex_q, ex_d;
  logic [3:0]  id_dst, id_src, id_ra;
  logic [31:0] id_seq_pc, id_ret_pc;
  logic [33:0] id_tgt_off, id_target;
  logic        id_target_ok, id_fall_bad, id_ret_known, id_predict;
  logic        id_reads_bank, id_hazard, id_breg, mem_writes_r0, id_wdata_late;
  logic        id_late_dst, id_late_src, id_jmp_late;
  logic [63:0] id_imm;
  logic        fwd_a_mem, fwd_a_wb, fwd_b_mem, fwd_b_wb;

  assign id_dst = id_insn_i[11:8];
  assign id_src = id_insn_i[15:12];

  // lddw takes two slots (decoded from the opcode alone: a malformed lddw
  // faults in EX anyway).
  logic id_op_lddw;
  assign id_op_lddw = (id_insn_i[7:0] == hermes_core_pkg::OP_LDDW);
  assign id_seq_pc  = id_pc_i + (id_op_lddw ? 32'd2 : 32'd1);

  // Jump/call target (pc + off/imm + 1, may be negative) and its range.
  assign id_tgt_off   = d_imm_target ? {{2{id_insn_i[63]}}, id_insn_i[63:32]}
                                     : {{18{id_insn_i[31]}}, id_insn_i[31:16]};
  assign id_target    = {2'b0, id_pc_i} + id_tgt_off + 34'd1;
  assign id_target_ok = !id_target[33] && (id_target[32:0] < {1'b0, code_words_i});
  // Falling through to (or lddw's second slot at) the end of the code.
  assign id_fall_bad  = ({1'b0, id_pc_i} + (d_lddw ? 33'd2 : 33'd1)) >= {1'b0, code_words_i};

  // The return pc of the innermost open frame (see the header).
  always_comb begin
    id_ret_known = 1'b1;
    id_ret_pc    = cs_ret_pc_i;
    if (ex_valid_q && ex_q.ctrl.call) id_ret_pc = ex_q.seq_pc;
    else if (mem_call_i)              id_ret_pc = mem_seq_pc_i;
    else if (wb_call_i)               id_ret_pc = wb_seq_pc_i;
    else if (cs_fresh_i)              id_ret_pc = cs_fresh_pc_i;
    else if (ex_valid_q && ex_q.ctrl.is_exit) id_ret_known = 1'b0;
    else if (depth_i == 3'd0)         id_ret_known = 1'b0;
  end
  // (a return pc outside the code is EX's fetch fault, as a target's)
  assign id_predict = (d_exit && id_ret_known) || d_call ||
                      (d_jmp && (id_insn_i[7:4] == hermes_core_pkg::JMP_JA || id_ctr_i[1]));
  assign id_next_o.predict   = id_predict;
  assign id_next_o.to_ret    = d_exit;
  assign id_next_o.lddw      = id_op_lddw;
  assign id_next_o.imm_target = d_imm_target;
  assign id_next_o.seq_pc    = id_seq_pc;
  assign id_next_o.target_pc = id_target[31:0];
  assign id_next_o.ret_pc    = id_ret_pc;

  // Whether a conditional jump's target (pc + off + 1) is inside the code,
  // for the late-jump check only: whether ID advances decides the fetch
  // in this clock, so the range is two compares of the offset against
  // bounds from the pc and the code's size (-(pc+1) = ~pc), with no add
  // in front of them. Equal to id_target_ok for such a jump (asserted).
  logic signed [33:0] jl_off, jl_lo, jl_hi;
  logic               jl_target_ok, jl_last;
  assign jl_off       = {{18{id_insn_i[31]}}, id_insn_i[31:16]};
  assign jl_lo        = ~{2'b0, id_pc_i};
  assign jl_hi        = {2'b0, code_words_i} + jl_lo;
  assign jl_target_ok = (jl_off >= jl_lo) && (jl_off < jl_hi);
  // ... whether its own slot is the code's last (falling through is then
  // a fetch fault): from registers alone; and its legality, which for a
  // jump reading registers is their range alone (every conditional code
  // is legal with any off and imm), instead of the decoder's whole check.
  logic jl_legal;
  assign jl_last      = ({1'b0, id_pc_i} + 33'd1) >= {1'b0, code_words_i};
  assign jl_legal     = (id_dst <= 4'd10) && (!id_insn_i[3] || id_src <= 4'd10);

  // A memory access's range of base registers per region, from the
  // instruction alone: EX compares its base with them, no add first.
  hermes_core_pkg::lsu_bounds_t id_bounds;
  hermes_lsu_bounds #(
    .PROG_SLOT_BYTES (PROG_SLOT_BYTES),
    .DATA_SLOT_BYTES (DATA_SLOT_BYTES),
    .MAP_SLOT_BYTES  (MAP_SLOT_BYTES)
  ) u_bounds (
    .off_i      (id_insn_i[31:16]),
    .size_i     (d_size),
    .store_i    (d_store || d_atomic),
    .prog_len_i (prog_len_i),
    .bounds_o   (id_bounds)
  );

  // Hazards (see the header). r6-r9 are restored when an exit in EX fires:
  // a use of them behind it (the return target, fetched from the
  // prediction) reads them a clock later.
  assign id_reads_bank = (d_reads_dst && id_dst >= 4'd6 && id_dst <= 4'd9) ||
                         (d_reads_src && id_src >= 4'd6 && id_src <= 4'd9);
  assign mem_writes_r0 = mem_rd_we_i && mem_rd_i == 4'd0;
  assign id_late_dst = ex_valid_q && ex_q.ctrl.late && ex_q.ctrl.rd_we &&
                       d_reads_dst && ex_q.ctrl.rd == id_dst;
  assign id_late_src = ex_valid_q && ex_q.ctrl.late && ex_q.ctrl.rd_we &&
                       d_reads_src && ex_q.ctrl.rd == id_src;
  // stx: its value (src) from a load in EX, its address (dst) not.
  // Neither late form when its other operand is a slot load's, now in MEM:
  // EX would hold it for that value past the clock its late operand's
  // load leaves MEM (the late value is WB's for that clock only).
  logic id_late_blocked;
  assign id_late_blocked = mem_port_load_i && (fwd_a_wb || fwd_b_wb);
  assign id_wdata_late = d_store && !d_st_imm && ex_q.ctrl.load && id_late_src && !id_late_dst &&
                         !id_late_blocked;
  assign id_jmp_late = d_jmp && jl_legal && ex_q.ctrl.load && jl_target_ok && !jl_last &&
                       (id_late_dst || id_late_src) && !id_late_blocked;
  assign id_hazard  = (!id_jmp_late &&
                       (id_late_dst || (id_late_src && !id_wdata_late))) ||
                      (d_reads_r0 && ((ex_valid_q && ex_q.ctrl.rd_we && ex_q.ctrl.rd == 4'd0) ||
                                      mem_writes_r0)) ||
                      (ex_valid_q && ex_q.ctrl.is_exit && id_reads_bank);
  assign id_to_ex_o = id_valid_i && !stop_i && !redir_i && ex_ready_i && !id_hazard;

  // Operand b is the src register for X forms, stx and atomics, else the
  // immediate (also st's value; a load does not use it).
  assign id_imm  = d_lddw ? {id_insn2_i[63:32], id_insn_i[63:32]}
                          : {{32{id_insn_i[63]}}, id_insn_i[63:32]};
  assign id_breg = d_store ? !d_st_imm : (d_atomic || d_srcx);

  // Forwarding selects (see the header). A producer in EX that reads
  // memory holds this instruction back (id_hazard), so fwd_*_mem never
  // names a load.
  assign fwd_a_mem = ex_valid_q && ex_rd_we_i && ex_rd_i == id_ra;
  assign fwd_a_wb  = !fwd_a_mem && mem_rd_we_i && mem_rd_i == id_ra;
  assign fwd_b_mem = id_breg && ex_valid_q && ex_rd_we_i && ex_rd_i == id_src;
  assign fwd_b_wb  = id_breg && !fwd_b_mem && mem_rd_we_i && mem_rd_i == id_src;

  // Operand a is dst, or for a load its address base src: EX's address
  // adder always adds operand a (no select in front of it).
  assign id_ra        = d_load ? id_src : id_dst;
  assign rf_raddr_a_o = id_ra;
  assign rf_raddr_b_o = id_src;

  always_comb begin
    ex_d.alu             = d_alu ? d_alu_op : '0;  // zero: the ALU adds nothing to ex_result
    ex_d.ctrl.illegal    = d_illegal;
    ex_d.ctrl.div        = d_div;
    ex_d.ctrl.mul        = d_mul;
    ex_d.ctrl.alu64      = d_alu64;
    ex_d.ctrl.div_signed = d_div_signed;
    ex_d.ctrl.div_mod    = d_div_mod;
    ex_d.ctrl.lddw       = d_lddw;
    ex_d.ctrl.load       = d_load;
    ex_d.ctrl.memsx      = d_memsx;
    ex_d.ctrl.store      = d_store;
    ex_d.ctrl.atomic     = d_atomic;
    ex_d.ctrl.size       = d_size;
    ex_d.ctrl.jmp        = d_jmp;
    ex_d.ctrl.jmp32      = d_jmp32;
    ex_d.ctrl.call       = d_call;
    ex_d.ctrl.helper     = d_helper;
    ex_d.ctrl.is_exit    = d_exit;
    ex_d.ctrl.rd_we      = d_rd_we;
    ex_d.ctrl.late       = d_from_mem || d_mul;
    ex_d.ctrl.rd         = d_rd;
    ex_d.target          = d_exit ? {2'b0, id_ret_pc} : id_target;
    ex_d.target_ok       = id_target_ok;
    ex_d.fall_bad        = id_fall_bad;
    ex_d.pred            = id_predict;
    ex_d.ctr             = id_ctr_i;
    ex_d.fwd_a_mem       = fwd_a_mem;
    ex_d.fwd_a_wb        = fwd_a_wb;
    ex_d.fwd_b_mem       = fwd_b_mem;
    ex_d.fwd_b_wb        = fwd_b_wb;
    ex_d.wdata_late      = id_wdata_late;
    ex_d.jlate_a         = id_jmp_late && id_late_dst;
    ex_d.jlate_b         = id_jmp_late && id_late_src;
    ex_d.bounds          = id_bounds;
    ex_d.pc              = id_pc_i;
    ex_d.seq_pc          = id_seq_pc;
    ex_d.insn            = id_insn_i;
    ex_d.imm             = id_imm;
    // Writeback bypass: the register written this clock is read new.
    ex_d.opa             = (wb_rf_we_i && wb_rd_i == {4'b0, id_ra}) ? wb_rd_value_i : rf_a_i;
    ex_d.opb             = !id_breg ? id_imm :
                           (wb_rf_we_i && wb_rd_i == {4'b0, id_src}) ? wb_rd_value_i : rf_b_i;
    ex_d.opc             = (wb_rf_we_i && wb_rd_i == 8'd0) ? wb_rd_value_i : rf_r0_i;
  end

  // The ID/EX register: valid reset, data not. While EX waits its
  // operands are refreshed with the forwarded values and the selects
  // cleared (the producers it forwarded from move on), but for a slot
  // load in WB still waiting for its response (hermes_ex_stage).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ex_valid_q <= 1'b0;
    end else if (start_i) begin
      ex_valid_q <= 1'b0;
    end else if (ex_ready_i) begin
      ex_valid_q <= id_to_ex_o;
    end else if (ex_valid_q && !ex_live_i) begin
      ex_valid_q <= 1'b0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (ex_ready_i) begin
      ex_q <= ex_d;
    end else begin
      ex_q.opa       <= ex_a_i;
      ex_q.opb       <= ex_b_i;
      ex_q.fwd_a_mem <= 1'b0;
      ex_q.fwd_a_wb  <= ex_keep_a_i;
      ex_q.fwd_b_mem <= 1'b0;
      ex_q.fwd_b_wb  <= ex_keep_b_i;
    end
  end

  assign ex_valid_o = ex_valid_q;
  assign ex_o       = ex_q;

  logic unused_id;
  assign unused_id = ^{id_insn2_i[31:0]};

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni && id_valid_i && d_jmp && !d_imm_target) begin
      // The late-jump check's range is the target's (a jump with off).
      assert (jl_target_ok == id_target_ok && jl_last == id_fall_bad)
        else $error("hermes_id_stage: the late-jump range check disagrees with the target's");
      // ... and its legality is the decoder's, for a jump reading registers.
      assert (!(d_reads_dst || d_reads_src) || jl_legal == !d_illegal)
        else $error("hermes_id_stage: the late-jump legality disagrees with the decoder");
    end
  end
`endif

endmodule
