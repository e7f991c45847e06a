// SPDX-License-Identifier: MIT
// Hermes eBPF engine: executes one program (docs/ISA.md) per run.
//
// A run: start_i latches the command fields; the engine copies the code
// (prog_len_i bytes of the program slot) over the dmem port into its local
// instruction memory, one slot per clock, and executes it while the copy
// proceeds (a fetch waits until its slots have arrived; data accesses wait
// for the end of the copy). Execution is a four-stage in-order pipeline:
//
//   ID   the instruction memory returns slot pc and pc+1 (lddw in one
//        go); decode, register read (writeback bypass), jump target and
//        "runs off the end" precomputed; branch prediction: ja always, a
//        conditional jump by its 2-bit counter (hermes_bpred, one per slot,
//        set to the static backward-taken rule by the copy); a jump
//        predicted taken, a call, and an exit whose return pc is known
//        (the innermost open frame) have their target fetched next,
//        without a bubble
//   EX   operand forwarding (from MEM and WB), ALU, branch condition,
//        address generation and bounds, every fault check, the redirect
//        of mispredicted jumps and exits (2 bubbles: the redirect and a
//        stop take effect from a register a clock later, dropping what
//        entered ID and EX meanwhile, so that no fetch or stage enable
//        waits for the EX result), mul (hermes_multiplier, 2 clocks), the
//        radix-4 divider, stack stores, call-stack push/pop
//   MEM  dmem requests (program/data slots; loads and atomics wait for the
//        response, stores are posted), stack read data, atomics. A data
//        load whose port is free goes out from EX as it fires, so that its
//        response arrives while it is in MEM: no stall
//   WB   register write, retire record (rvfi_*)
//
// Side effects happen in EX or later, and every fault is detected in EX,
// so an instruction that faults changes nothing; older instructions still
// retire. A load's value is forwarded from MEM, in the clock it arrives, to
// the ALU operands and to store data (no bubble); any other use (address,
// jump, divider, atomic) right after the load waits a clock and takes it
// from WB. r6-r9 are flip-flops in the register file: a call saves all four
// into the call stack (block RAM) when it reaches WB (every older write is
// then done, no younger one yet), an exit restores all four when it fires
// in EX (writes of older instructions still in MEM or WB to r6-r9 are
// dropped: the restore overwrites them architecturally); an exit waits only
// while a call is in MEM or WB or saved its frame in the last clock (not
// yet readable from the block RAM). The register file is initialised
// through its write port at the start of a run (11 clocks, overlapped with
// the program copy). The stack is engine-local (hermes_stack, zero at every
// run through per-word run tags); atomics on it are done here with
// hermes_amo_alu, on the slots by the memory (dmem op 2), which returns the
// old value.
module hermes_engine #(
  parameter int unsigned NUM_ENGINES     = hermes_pkg::DEFAULT_ENGINES,
  parameter int unsigned ENGINE_ID       = 0,
  parameter int unsigned NUM_PROG_SLOTS  = hermes_pkg::DEFAULT_PROG_SLOTS,
  parameter int unsigned NUM_DATA_SLOTS  = hermes_pkg::DEFAULT_DATA_SLOTS,
  parameter int unsigned PROG_SLOT_BYTES = hermes_pkg::DEFAULT_PROG_SLOT_SIZE,
  parameter int unsigned DATA_SLOT_BYTES = hermes_pkg::DEFAULT_DATA_SLOT_SIZE,
  // BAR4 offset of map slot 0 and the map slot size (docs/MAPS.md).
  parameter int unsigned MAP_OFF         = 0,
  parameter int unsigned MAP_SLOT_BYTES  = hermes_pkg::DEFAULT_MAP_SLOT_SIZE,
  // Instruction memory depth in slots; a program longer than this faults
  // (cause 3) when it reaches slot IMEM_WORDS.
  parameter int unsigned IMEM_WORDS      = PROG_SLOT_BYTES / 8,
  // Width of the stack's per-word run tags (clear loop every 2**TAG_W-1 runs).
  parameter int unsigned TAG_W           = 8
) (
  input  logic        clk_i,
  input  logic        rst_ni,

  // Card clocks since card reset (ktime_get_ns) and the card-wide map lock.
  input  logic [63:0] ktime_i,
  output logic        lock_req_o,
  input  logic        lock_gnt_i,

  // Engine control (command processor).
  input  logic        start_i,
  input  logic [7:0]  prog_slot_i,
  input  logic [7:0]  data_slot_i,
  input  logic [31:0] prog_len_i,
  input  logic [31:0] data_len_i,
  input  logic [31:0] max_insns_i,
  input  logic        abort_i,
  output logic        busy_o,
  output logic        done_o,
  output logic [3:0]  fault_cause_o,
  output logic [31:0] fault_pc_o,
  output logic [63:0] fault_addr_o,
  output logic [63:0] r0_o,
  output logic [63:0] insns_o,
  output logic [63:0] cycles_o,

  // Data port to the slot memory (BAR4 addresses).
  output logic        dmem_req_o,
  output logic [1:0]  dmem_op_o,
  output logic [1:0]  dmem_size_o,
  output logic [7:0]  dmem_amo_o,
  output logic [31:0] dmem_addr_o,
  output logic [63:0] dmem_wdata_o,
  output logic [63:0] dmem_cmp_o,
  input  logic        dmem_gnt_i,
  input  logic        dmem_rvalid_i,
  input  logic [63:0] dmem_rdata_i,

  // Retire records.
  output logic        rvfi_valid_o,
  output logic [31:0] rvfi_pc_o,
  output logic [63:0] rvfi_insn_o,
  output logic [7:0]  rvfi_rd_o,
  output logic [63:0] rvfi_rd_value_o,
  output logic [1:0]  rvfi_mem_kind_o,
  output logic [3:0]  rvfi_mem_size_o,
  output logic [63:0] rvfi_mem_addr_o,
  output logic [63:0] rvfi_mem_value_o
);

  localparam int unsigned IMEM_AW = (IMEM_WORDS > 2) ? $clog2(IMEM_WORDS) : 2;
  localparam logic [31:0] PROG_REGION_BYTES = 32'(NUM_PROG_SLOTS * PROG_SLOT_BYTES);
  localparam logic [63:0] BAR4_BYTES = 64'(NUM_PROG_SLOTS) * 64'(PROG_SLOT_BYTES) +
                                       64'(NUM_DATA_SLOTS) * 64'(DATA_SLOT_BYTES);
  localparam logic [7:0]  OUTSTANDING_MAX = 8'hff;

  localparam logic S_IDLE = 1'b0;
  localparam logic S_RUN  = 1'b1;

  function automatic logic [63:0] eng_size_mask(input logic [1:0] size);
    unique case (size)
      2'd0:    eng_size_mask = 64'h0000_0000_0000_00ff;
      2'd1:    eng_size_mask = 64'h0000_0000_0000_ffff;
      2'd2:    eng_size_mask = 64'h0000_0000_ffff_ffff;
      default: eng_size_mask = 64'hffff_ffff_ffff_ffff;
    endcase
  endfunction

  // ===================================================================
  // Run control
  // ===================================================================
  logic             state_q;
  logic             copy_busy_q, copy_hold_q;
  logic [31:0]      prog_bar4_q, data_bar4_q, map_bar4_q, prog_len_q, code_words_q, data_len_q;
  // budget_q: instructions the run may still issue (a down counter: its
  // zero test is cheaper than comparing an issue count with the limit)
  logic [31:0]      budget_q, copy_issue_q, copy_recv_q;
  logic [7:0]       outstanding_q;
  logic             stop_q, abort_q, done_q;
  logic [3:0]       fault_cause_q;
  logic [31:0]      fault_pc_q;
  logic [63:0]      fault_addr_q, r0_q, insns_q, cycles_q;
  logic [2:0]       depth_q;
  logic [TAG_W-1:0] epoch_q;
  logic             clearing_q;
  logic [7:0]       clear_idx_q;
  logic             initing_q;
  logic [3:0]       init_idx_q;

  logic             start, copy_req, copy_end, exec_ok, finish;
  logic [31:0]      prog_words;

  assign start      = start_i && (state_q == S_IDLE);
  assign prog_words = {3'b0, prog_len_i[31:3]};
  // The copy issues one load per clock; it stops early once the run has
  // ended or been aborted (never withdrawing a request not yet granted).
  assign copy_req   = copy_busy_q && (copy_issue_q != code_words_q) &&
                      (outstanding_q != OUTSTANDING_MAX) && (copy_hold_q || !(stop_q || abort_q));
  assign copy_end   = copy_busy_q && !copy_hold_q && (outstanding_q == 8'd0) &&
                      (copy_issue_q == code_words_q || stop_q || abort_q);
  // Execution starts once the register file is initialised. (Stack
  // accesses also wait for a tag clear, which normally ran while idle.)
  assign exec_ok    = (state_q == S_RUN) && !initing_q;

  // ===================================================================
  // Pipeline signals
  // ===================================================================
  // ID
  logic        id_valid_q;
  logic [31:0] id_pc_q;
  logic [63:0] id_insn, id_insn2;
  // EX
  logic        ex_valid_q;
  logic [31:0] ex_pc_q;
  logic [63:0] ex_insn_q, ex_imm_q, ex_opa_q, ex_opb_q, ex_opc_q;
  logic        ex_illegal_q, ex_div_q, ex_mul_q, ex_alu64_q, ex_div_signed_q, ex_div_mod_q;
  logic        ex_lddw_q, ex_load_q, ex_memsx_q, ex_store_q, ex_breg_q, ex_atomic_q;
  logic [1:0]  ex_size_q;
  logic        ex_jmp_q, ex_jmp32_q, ex_call_q, ex_helper_q, ex_exit_q, ex_srcx_q;
  logic        ex_rd_we_q, ex_from_mem_q;
  logic [3:0]  ex_rd_q, ex_dst_q, ex_src_q;
  logic [33:0] ex_target_q;
  logic        ex_target_ok_q, ex_fall_bad_q, ex_pred_q;
  // pc + 1 (pc + 2 for lddw) from ID: a call's return pc, the fall-through
  // of a jump predicted taken, without an adder in EX
  logic [31:0] ex_seq_pc_q;
  // MEM
  logic        mem_valid_q, mem_sent_q;
  logic [31:0] mem_pc_q;
  logic [63:0] mem_insn_q, mem_result_q, mem_ea_q, mem_wdata_q, mem_cmp_q;
  logic        mem_rd_we_q, mem_stack_q, mem_memsx_q, mem_call_q;
  logic [2:0]  mem_depth_q;
  logic [31:0] mem_seq_pc_q;
  logic [3:0]  mem_rd_q;
  logic [1:0]  mem_kind_q, mem_size_q;
  logic [11:0] mem_stack_off_q;
  logic [31:0] mem_bar4_q;
  logic [7:0]  mem_amo_q;
  // WB (= retire record)
  logic        wb_valid_q;
  logic [31:0] wb_pc_q;
  logic [63:0] wb_insn_q, wb_rd_value_q, wb_mem_addr_q, wb_mem_value_q;
  logic [7:0]  wb_rd_q;
  logic [1:0]  wb_mem_kind_q;
  logic [3:0]  wb_mem_size_q;
  logic        wb_we, wb_rf_we, wb_call_q, wb_nobank_q;
  logic [2:0]  wb_depth_q;
  logic [31:0] wb_seq_pc_q;  // a call's return pc, saved with its frame

  // Helper sequencer (hermes_helper)
  logic        hlp_call, hlp_drained, hlp_done, hlp_hold, hlp_busy;
  logic [3:0]  hlp_cause;
  logic [63:0] hlp_fault_addr, hlp_result;
  logic        hlp_mem_req, hlp_mem_we, hlp_stk_re;
  logic [1:0]  hlp_mem_size, hlp_stk_size;
  logic [31:0] hlp_mem_addr;
  logic [63:0] hlp_mem_wdata;
  logic [11:0] hlp_stk_off;

  // Stage control
  logic        ex_fault, ex_wait, ex_fire, ex_ready, ex_redirect, ex_final;
  logic        ex_live, ex_fault_now, redir_q;
  logic [31:0] redir_pc_q;
  logic        id_hazard, id_to_ex, mem_stall;
  logic [3:0]  ex_cause;
  logic [63:0] ex_fault_addr;
  logic [31:0] redirect_pc;

  // ===================================================================
  // Instruction memory and fetch
  // ===================================================================
  logic        fetch_en;
  logic [31:0] fetch_pc, id_seq_pc, id_next_pc;
  logic        id_predict;
  logic        id_valid_d, nf_valid_q, nf_valid_d;
  logic [31:0] id_pc_d, nf_pc_q, nf_pc_d;
  logic        imem_we, cand_valid, fetch_avail;
  logic [31:0] cand_pc;

  assign imem_we = copy_busy_q && dmem_rvalid_i;

  hermes_imem #(.WORDS(IMEM_WORDS)) u_imem (
    .clk_i,
    .we_i    (imem_we),
    .waddr_i (copy_recv_q[IMEM_AW-1:0]),
    .wdata_i (dmem_rdata_i),
    .re_i    (fetch_en),
    .raddr_i (fetch_pc[IMEM_AW-1:0]),
    .insn_o  (id_insn),
    .insn2_o (id_insn2)
  );

  // Branch prediction: a 2-bit counter per slot, read with the slot
  // (hermes_bpred); a conditional jump that fires updates its counter once
  // the copy is over (the copy initialises them to the static rule).
  logic [1:0] id_ctr, ex_ctr_q;
  // lddw takes two slots (decoded from the opcode alone: a malformed lddw
  // faults in EX anyway).
  assign id_seq_pc  = id_pc_q + ((id_insn[7:0] == hermes_core_pkg::OP_LDDW) ? 32'd2 : 32'd1);
  // Predicted-taken jumps continue at their target (computed in ID below).
  assign id_next_pc = !id_predict ? id_seq_pc : d_exit ? id_ret_pc : id_target[31:0];

  // The next pc to fetch: a redirect, the successor of the instruction
  // leaving ID, or one that had to wait (nf_*) for the copy or the start.
  // A fetch reads slots pc and pc+1, so both must have been copied.
  // A redirect or stop decided in EX takes effect a clock later (redir_q,
  // stop_q): the fetch decision never waits for the EX result. What ID and
  // EX took in meanwhile is younger and is dropped then (ex_live).
  always_comb begin
    cand_valid = 1'b0;
    cand_pc    = id_next_pc;
    if (redir_q) begin
      cand_valid = 1'b1;
      cand_pc    = redir_pc_q;
    end else if (stop_q) begin
      cand_valid = 1'b0;
    end else if (id_to_ex) begin
      cand_valid = 1'b1;
      cand_pc    = id_next_pc;
    end else if (nf_valid_q) begin
      cand_valid = 1'b1;
      cand_pc    = nf_pc_q;
    end
  end

  assign fetch_avail = exec_ok && !stop_q &&
                       (!copy_busy_q || ({1'b0, cand_pc} + 33'd2 <= {1'b0, copy_recv_q}));

  always_comb begin
    fetch_en   = 1'b0;
    fetch_pc   = cand_pc;
    id_valid_d = id_valid_q;
    id_pc_d    = id_pc_q;
    nf_valid_d = nf_valid_q;
    nf_pc_d    = nf_pc_q;
    if (stop_q) begin
      id_valid_d = 1'b0;
      nf_valid_d = 1'b0;
    end else if (cand_valid) begin
      if (fetch_avail) begin
        fetch_en   = 1'b1;
        id_valid_d = 1'b1;
        id_pc_d    = cand_pc;
        nf_valid_d = 1'b0;
      end else begin
        id_valid_d = 1'b0;
        nf_valid_d = 1'b1;
        nf_pc_d    = cand_pc;
      end
    end
  end

  // ===================================================================
  // ID: decode, register read, target precomputation
  // ===================================================================
  logic       d_illegal, d_alu, d_div, d_mul, d_alu64, d_div_signed, d_div_mod, d_lddw, d_load;
  logic       d_memsx, d_store, d_st_imm, d_atomic, d_jmp, d_jmp32, d_imm_target;
  logic       d_call, d_helper, d_exit, d_srcx, d_reads_dst, d_reads_src, d_reads_r0;
  logic       d_rd_we, d_from_mem;
  logic [1:0] d_size;
  logic [3:0] d_rd;

  hermes_decoder u_decoder (
    .insn_i        (id_insn),
    .illegal_o     (d_illegal),
    .alu_o         (d_alu),
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

  logic [3:0]   id_dst, id_src, rf_raddr_a, rf_raddr_b, rf_waddr;
  logic         hlp_rf_sel;
  logic [3:0]   hlp_raddr_a, hlp_raddr_b;
  logic [63:0]  rf_a, rf_b, rf_r0, rf_wdata, init_val, id_opa, id_opb, id_opc, id_imm;
  logic [255:0] cs_saved, rf_bank;
  logic [31:0]  cs_ret_pc;
  logic         rf_we, rf_restore;
  logic [33:0]  id_tgt_off, id_target;
  logic         id_target_ok, id_fall_bad;
  logic [31:0]  id_ret_pc, cs_fresh_pc_q;
  logic         id_ret_known, id_ret_ok;

  assign id_dst = id_insn[11:8];
  assign id_src = id_insn[15:12];

  // Register file write port: run-start initialisation, else writeback.
  always_comb begin
    unique case (init_idx_q)
      4'd1:    init_val = hermes_core_pkg::DATA_BASE;
      4'd2:    init_val = {32'b0, data_len_q};
      4'd10:   init_val = hermes_core_pkg::R10_INIT;
      default: init_val = 64'd0;
    endcase
  end
  assign rf_we      = initing_q || wb_rf_we;
  assign rf_waddr   = initing_q ? init_idx_q : wb_rd_q[3:0];
  assign rf_wdata   = initing_q ? init_val : wb_rd_value_q;
  // The helper sequencer reads r1-r5 through both ports while the call
  // waits in EX (nothing in ID can move then).
  assign rf_raddr_a = hlp_rf_sel ? hlp_raddr_a : id_dst;
  assign rf_raddr_b = hlp_rf_sel ? hlp_raddr_b : id_src;

  hermes_regfile u_regfile (
    .clk_i,
    .rst_ni,
    .we_i      (rf_we),
    .waddr_i   (rf_waddr),
    .wdata_i   (rf_wdata),
    .raddr_a_i (rf_raddr_a),
    .rdata_a_o (rf_a),
    .raddr_b_i (rf_raddr_b),
    .rdata_b_o (rf_b),
    .r0_o      (rf_r0),
    .bank_o         (rf_bank),
    .restore_i      (rf_restore),
    .restore_data_i (cs_saved)
  );

  // Writeback bypass: the register written this clock is read new. A write
  // to r6-r9 older than an exit that has fired is dropped (wb_nobank_q).
  assign wb_we    = wb_valid_q && (wb_rd_q != hermes_core_pkg::RD_NONE);
  assign wb_rf_we = wb_we && !(wb_nobank_q && wb_rd_q >= 8'd6 && wb_rd_q <= 8'd9);
  assign id_opa = (wb_rf_we && wb_rd_q == {4'b0, id_dst}) ? wb_rd_value_q : rf_a;
  assign id_opb = (wb_rf_we && wb_rd_q == {4'b0, id_src}) ? wb_rd_value_q : rf_b;
  assign id_opc = (wb_rf_we && wb_rd_q == 8'd0) ? wb_rd_value_q : rf_r0;
  assign id_imm = d_lddw ? {id_insn2[63:32], id_insn[63:32]}
                         : {{32{id_insn[63]}}, id_insn[63:32]};

  // Jump/call target (pc + off/imm + 1, may be negative) and its range.
  assign id_tgt_off   = d_imm_target ? {{2{id_insn[63]}}, id_insn[63:32]}
                                     : {{18{id_insn[31]}}, id_insn[31:16]};
  assign id_target    = {2'b0, id_pc_q} + id_tgt_off + 34'd1;
  assign id_target_ok = !id_target[33] && (id_target[32:0] < {1'b0, code_words_q});
  // Falling through to (or lddw's second slot at) the end of the code.
  assign id_fall_bad  = ({1'b0, id_pc_q} + (d_lddw ? 33'd2 : 33'd1)) >= {1'b0, code_words_q};
  // Prediction: ja always, a conditional jump when its counter says taken
  // (initially: when it goes backward, a loop); only to a target inside
  // the code (else EX faults or falls through).
  // A call always goes to its target: fetched next like ja, so that only
  // a call that faults (its target outside the code) reaches the redirect.
  // An exit from a callee goes to the return pc of the innermost open
  // frame: the youngest call still in the pipeline (EX, MEM, WB, or saved
  // in the last clock), else the frame the call stack reads now (no call
  // or exit in EX changes the depth: an exit in EX is not followed). EX
  // checks it against the frame it restores.
  always_comb begin
    id_ret_known = 1'b1;
    id_ret_pc    = cs_ret_pc;
    if (ex_valid_q && ex_call_q)        id_ret_pc = ex_seq_pc_q;
    else if (mem_valid_q && mem_call_q) id_ret_pc = mem_seq_pc_q;
    else if (wb_valid_q && wb_call_q)   id_ret_pc = wb_seq_pc_q;
    else if (cs_fresh_q)                id_ret_pc = cs_fresh_pc_q;
    else if (ex_valid_q && ex_exit_q)   id_ret_known = 1'b0;
    else if (depth_q == 3'd0)           id_ret_known = 1'b0;
  end
  assign id_ret_ok  = id_ret_known && (id_ret_pc < code_words_q);
  assign id_predict = !d_illegal &&
                      ((d_exit && id_ret_ok) ||
                       (id_target_ok &&
                        (d_call || (d_jmp && (id_insn[7:4] == hermes_core_pkg::JMP_JA || id_ctr[1])))));

  // Load-use: a load's value arrives in MEM. It is forwarded from there
  // (id_fwd_*) to the ALU, a jump's condition and store data, so such a
  // use follows the load without a bubble; every other use (an address, a
  // divider operand, an atomic's value, any use of an atomic's fetched
  // value) waits one clock in ID and takes it from WB: addresses never see
  // memory data in the clock it arrives. cmpxchg's r0 operand is not
  // forwarded: it waits in ID until no instruction in EX or MEM writes r0
  // (WB is bypassed above).
  logic id_fwd_dst, id_fwd_src, id_reads_bank;
  assign id_reads_bank = (d_reads_dst && id_dst >= 4'd6 && id_dst <= 4'd9) ||
                         (d_reads_src && id_src >= 4'd6 && id_src <= 4'd9);
  assign id_fwd_dst = ex_load_q && (d_alu || d_mul || d_jmp);
  assign id_fwd_src = ex_load_q && (d_alu || d_mul || d_jmp || (d_store && !d_st_imm));
  assign id_hazard = (ex_valid_q && ex_from_mem_q && ex_rd_we_q &&
                      ((d_reads_dst && ex_rd_q == id_dst && !id_fwd_dst) ||
                       (d_reads_src && ex_rd_q == id_src && !id_fwd_src))) ||
                     (d_reads_r0 && ((ex_valid_q && ex_rd_we_q && ex_rd_q == 4'd0) ||
                                     (mem_valid_q && mem_rd_we_q && mem_rd_q == 4'd0))) ||
                     // r6-r9 are restored when the exit in EX fires: a use of
                     // them behind it (the return target, fetched from ID's
                     // prediction) reads them a clock later.
                     (ex_valid_q && ex_exit_q && id_reads_bank);

  assign ex_ready = ex_valid_q ? ex_fire : !mem_stall;
  assign id_to_ex = id_valid_q && !stop_q && !redir_q && ex_ready && !id_hazard;

  // ===================================================================
  // EX
  // ===================================================================
  logic [63:0] ex_a, ex_b_reg, ex_result, alu_result;
  logic [63:0] ex_a_fwd, ex_b_reg_fwd, ex_b_fwd, ex_store_val, load_val;
  logic [63:0] div_result, mul_result, lsu_ea, r10_new;
  logic [31:0] lsu_bar4;
  logic [11:0] lsu_stack_off;
  logic        br_taken, lsu_oob, lsu_stack, div_idle, div_done, mul_done, budget_out;
  logic        mem_op, call_ok, exit_ret;

  // Forwarding: MEM (newest) over WB over the value read in ID.
  always_comb begin
    ex_a     = ex_opa_q;
    ex_b_reg = ex_opb_q;
    if (wb_we && wb_rd_q == {4'b0, ex_dst_q}) ex_a = wb_rd_value_q;
    if (wb_we && wb_rd_q == {4'b0, ex_src_q}) ex_b_reg = wb_rd_value_q;
    if (mem_valid_q && mem_rd_we_q) begin
      if (mem_rd_q == ex_dst_q) ex_a = mem_result_q;
      if (mem_rd_q == ex_src_q) ex_b_reg = mem_result_q;
    end
  end

  // A load in MEM forwards its value (load_val) to the operands of the
  // ALU, the branch condition, the divider and store data (the *_fwd
  // operands); the address (LSU base) never takes it: ID holds an address
  // use back a clock (id_hazard), so memory data stays off the address and
  // fault logic. mem_result_q of a load is not its value, but no operand
  // that a consumer of the load may use reads it. A jump or divide that
  // takes a forwarded value while the load still waits for its response
  // cannot fire (mem_stall), and the divider is never started then
  // (id_hazard keeps a divide out of EX behind a load).
  logic mem_load_fwd;
  assign mem_load_fwd = mem_valid_q && (mem_kind_q == hermes_core_pkg::MEM_LOAD);
  assign ex_a_fwd     = (mem_load_fwd && mem_rd_q == ex_dst_q) ? load_val : ex_a;
  assign ex_b_reg_fwd = (mem_load_fwd && mem_rd_q == ex_src_q) ? load_val : ex_b_reg;
  // Operand b: the register for X forms, stx and atomics, else the
  // immediate (also st's value): one mux for the ALU, jumps and stores.
  assign ex_b_fwd     = ex_breg_q ? ex_b_reg_fwd : ex_imm_q;
  assign ex_store_val = ex_b_fwd;
  assign mem_op       = ex_load_q || ex_store_q || ex_atomic_q;

  hermes_alu u_alu (
    .op_i     (ex_insn_q[7:4]),
    .is64_i   (ex_alu64_q),
    .srcx_i   (ex_srcx_q),
    .off_i    (ex_insn_q[31:16]),
    .imm_i    (ex_insn_q[63:32]),
    .a_i      (ex_a_fwd),
    .b_i      (ex_b_fwd),
    .result_o (alu_result)
  );

  hermes_branch_cmp u_branch_cmp (
    .op_i    (ex_insn_q[7:4]),
    .jmp32_i (ex_jmp32_q),
    .a_i     (ex_a_fwd),
    .b_i     (ex_b_fwd),
    .taken_o (br_taken)
  );

  // Branch predictor (declared with the fetch logic above).
  logic       bp_upd;
  // (A faulting jump may move its counter too: the run ends there, and the
  // next run's copy sets every counter again.)
  assign bp_upd = ex_fire && ex_jmp_q && !copy_busy_q &&
                  (ex_insn_q[7:4] != hermes_core_pkg::JMP_JA);

  hermes_bpred #(.WORDS(IMEM_WORDS)) u_bpred (
    .clk_i,
    .init_i      (imem_we),
    .init_addr_i (copy_recv_q[IMEM_AW-1:0]),
    .init_insn_i (dmem_rdata_i),
    .upd_i       (bp_upd),
    .upd_addr_i  (ex_pc_q[IMEM_AW-1:0]),
    .upd_ctr_i   (ex_ctr_q),
    .upd_taken_i (br_taken),
    .re_i        (fetch_en),
    .raddr_i     (fetch_pc[IMEM_AW-1:0]),
    .ctr_o       (id_ctr)
  );

  hermes_divider u_divider (
    .clk_i,
    .rst_ni,
    .start_i  (ex_live && ex_div_q && !ex_fault_now && div_idle),
    .clear_i  (ex_fire || start),
    .is64_i   (ex_alu64_q),
    .signed_i (ex_div_signed_q),
    .mod_i    (ex_div_mod_q),
    .a_i      (ex_a_fwd),
    .b_i      (ex_b_fwd),
    .idle_o   (div_idle),
    .done_o   (div_done),
    .result_o (div_result)
  );

  // mul: the product of the operands of its first clock in EX that MEM
  // does not stall (a load's forwarded value is valid then), ready the
  // clock after (hermes_multiplier: no path of a one-clock 64-bit multiply).
  logic unused_mul_idle;
  hermes_multiplier u_multiplier (
    .clk_i,
    .rst_ni,
    .start_i  (ex_live && ex_mul_q && !mem_stall),
    .clear_i  (ex_fire || start),
    .is64_i   (ex_alu64_q),
    .a_i      (ex_a_fwd),
    .b_i      (ex_b_fwd),
    .idle_o   (unused_mul_idle),
    .done_o   (mul_done),
    .result_o (mul_result)
  );

  hermes_lsu #(
    .PROG_SLOT_BYTES (PROG_SLOT_BYTES),
    .DATA_SLOT_BYTES (DATA_SLOT_BYTES),
    .MAP_SLOT_BYTES  (MAP_SLOT_BYTES)
  ) u_lsu (
    .base_i      (ex_load_q ? ex_b_reg : ex_a),
    .off_i       (ex_insn_q[31:16]),
    .size_i      (ex_size_q),
    .store_i     (ex_store_q || ex_atomic_q),
    .prog_len_i  (prog_len_q),
    .prog_bar4_i (prog_bar4_q),
    .data_bar4_i (data_bar4_q),
    .map_bar4_i  (map_bar4_q),
    .ea_o        (lsu_ea),
    .oob_o       (lsu_oob),
    .stack_o     (lsu_stack),
    .bar4_o      (lsu_bar4),
    .stack_off_o (lsu_stack_off)
  );

  // Call stack, one entry per open frame above frame 0: r6-r9 and the
  // return pc, one 288-bit word in block RAM written when the call is in
  // WB. r10 is implied by the depth (it is read-only to programs). The
  // block RAM is read every clock at the next depth's top frame, so
  // cs_saved/cs_ret_pc are always the frame an exit would restore, a clock
  // after its save at the latest (call_in_flight).
  logic [2:0]   depth_d;
  logic [287:0] cs_rdata;

  always_comb begin
    depth_d = depth_q;
    if (start)                                  depth_d = '0;
    else if (ex_fire && ex_call_q && !call_fault) depth_d = depth_q + 3'd1;
    else if (rf_restore)                        depth_d = depth_q - 3'd1;
  end

  hermes_callstack #(.WIDTH(288), .DEPTH(8)) u_callstack (
    .clk_i,
    .we_i    (wb_valid_q && wb_call_q),
    .waddr_i (wb_depth_q),
    .wdata_i ({wb_seq_pc_q, rf_bank}),
    .raddr_i (depth_d - 3'd1),
    .rdata_o (cs_rdata)
  );
  assign cs_saved  = cs_rdata[255:0];
  assign cs_ret_pc = cs_rdata[287:256];

  assign budget_out = (budget_q == 32'd0);
  assign call_ok    = (depth_q != 3'd7);
  assign exit_ret   = (depth_q != 3'd0);

  // A call's frame is saved when it reaches WB and can be read back a
  // clock later (cs_fresh_q: saved in the last clock): an exit waits for that.
  logic call_in_flight, cs_fresh_q;
  assign call_in_flight = (mem_valid_q && mem_call_q) || (wb_valid_q && wb_call_q) || cs_fresh_q;

  // Fault checks in ISA order: abort, budget, illegal, then the
  // instruction's own fault. A fetch fault's address is the program base
  // plus 8 times the slot index it would have fetched.
  logic        fetch_fault;
  logic [33:0] fetch_slot;
  always_comb begin
    ex_cause      = hermes_core_pkg::FAULT_NONE;
    ex_fault_addr = 64'd0;
    fetch_fault   = 1'b0;
    fetch_slot    = ex_target_q;
    if (abort_q && !hlp_hold) begin
      ex_cause = hermes_core_pkg::FAULT_ABORTED;
    end else if (budget_out) begin
      ex_cause = hermes_core_pkg::FAULT_BUDGET;
    end else if (ex_illegal_q) begin
      ex_cause = hermes_core_pkg::FAULT_ILLEGAL;
    end else if (ex_helper_q) begin
      // Unknown ids at once; the others once the helper is done (ex_wait).
      // Without a fault of its own a call in the last slot runs off the
      // end instead of retiring (the helper ran dry: nothing changed).
      if (hlp_done) begin
        ex_cause      = hlp_cause;
        ex_fault_addr = hlp_fault_addr;
        if (hlp_cause == hermes_core_pkg::FAULT_NONE && ex_fall_bad_q) begin
          fetch_fault = 1'b1;
          fetch_slot  = {2'b0, code_words_q};
        end
      end
    end else if (ex_call_q) begin
      if (!call_ok)              ex_cause = hermes_core_pkg::FAULT_CALL_DEPTH;
      else if (!ex_target_ok_q)  fetch_fault = 1'b1;
    end else if (ex_jmp_q && br_taken) begin
      fetch_fault = !ex_target_ok_q;
    end else if (ex_exit_q) begin
      // (cs_ret_pc is the frame's only once no call is in flight: until
      // then the exit waits, and must not fault on a stale word)
      if (exit_ret && !call_in_flight && cs_ret_pc >= code_words_q) begin
        fetch_fault = 1'b1;
        fetch_slot  = {2'b0, cs_ret_pc};
      end
    end else if (mem_op && lsu_oob) begin
      ex_cause      = ex_load_q ? hermes_core_pkg::FAULT_LOAD : hermes_core_pkg::FAULT_STORE;
      ex_fault_addr = lsu_ea;
    end else if (ex_fall_bad_q) begin
      fetch_fault = 1'b1;
      fetch_slot  = {2'b0, code_words_q};
    end
    if (fetch_fault) begin
      ex_cause      = hermes_core_pkg::FAULT_FETCH;
      ex_fault_addr = hermes_core_pkg::PROG_BASE + {{27{fetch_slot[33]}}, fetch_slot, 3'b0};
    end
  end

  assign ex_fault = (ex_cause != hermes_core_pkg::FAULT_NONE);

  // The same fault decision by the kind of instruction in EX, so that each
  // consumer waits only for the check that can hit it: a jump's enables
  // for the branch compare, a store's for its bounds, a call's and an
  // exit's for registers and the call stack's word. ex_fault is their OR
  // (asserted): the cause's priority order only picks which one is named.
  logic jmp_fault, call_fault, exit_fault, mem_fault, hlp_fault;
  assign jmp_fault  = ex_fault_now || (br_taken ? !ex_target_ok_q : ex_fall_bad_q);
  assign call_fault = ex_fault_now || !call_ok || !ex_target_ok_q;
  assign exit_fault = ex_fault_now || (exit_ret && !call_in_flight && cs_ret_pc >= code_words_q);
  assign mem_fault  = ex_fault_now || lsu_oob || ex_fall_bad_q;
  assign hlp_fault  = ex_fault_now ||
                      (hlp_done && (hlp_cause != hermes_core_pkg::FAULT_NONE || ex_fall_bad_q));

  // Reasons to stay in EX: the divider or multiplier is busy; an exit
  // needs its frame saved; a stack atomic is writing back in MEM.
  assign ex_wait = (ex_helper_q && !hlp_done) ||
                   (ex_div_q && !div_done) ||
                   (ex_mul_q && !mul_done) ||
                   (ex_exit_q && call_in_flight) ||
                   (mem_op && clearing_q) ||
                   (mem_op && mem_valid_q && mem_stack_q && mem_kind_q == hermes_core_pkg::MEM_ATOMIC);

  // ex_live: the instruction in EX is on the path (not younger than a
  // redirect or stop taken in the last clock). It fires when MEM can take
  // it and it need not wait; a fault decided from registers alone
  // (ex_fault_now) does not wait either. Any other fault is known only
  // late in the clock: the instruction fires when its wait is over and
  // faults then, so that firing never depends on the EX result.
  assign ex_live      = ex_valid_q && !redir_q && !stop_q;
  assign ex_fault_now = (abort_q && !hlp_hold) || budget_out || ex_illegal_q;
  assign ex_fire      = ex_live && !mem_stall && (ex_fault_now || !ex_wait);
  // A jump redirects when its outcome differs from the prediction made in ID.
  // (A call was predicted in ID unless it faults: no redirect of its own.
  // An exit predicted in ID carries the return pc it fetched in ex_target_q.)
  assign ex_redirect = (ex_jmp_q && !jmp_fault && (br_taken != ex_pred_q)) ||
                       (ex_exit_q && !exit_fault && exit_ret &&
                        (!ex_pred_q || ex_target_q[31:0] != cs_ret_pc));
  assign ex_final    = ex_exit_q && !exit_fault && !exit_ret;
  assign redirect_pc = ex_exit_q ? cs_ret_pc :
                       (ex_jmp_q && ex_pred_q) ? ex_seq_pc_q : ex_target_q[31:0];

  assign rf_restore = ex_fire && ex_exit_q && !exit_fault && exit_ret;

  // r10 after a call (one frame up) or a return (one frame down).
  assign r10_new = ex_call_q ? hermes_core_pkg::STACK_BASE + {51'b0, {1'b0, depth_q} + 4'd2, 9'b0}
                             : hermes_core_pkg::STACK_BASE + {52'b0, depth_q, 9'b0};

  always_comb begin
    if (ex_helper_q)                ex_result = hlp_result;
    else if (ex_div_q)              ex_result = div_result;
    else if (ex_mul_q)              ex_result = mul_result;
    else if (ex_lddw_q)             ex_result = ex_imm_q;
    else if (ex_call_q || ex_exit_q) ex_result = r10_new;
    else                            ex_result = alu_result;
  end

  // ===================================================================
  // Stack (engine-local) and MEM
  // ===================================================================
  logic        stack_amo_wr, stack_we;
  logic [63:0] stack_rdata, mem_old, amo_new, amo_fetch;
  logic        amo_we;
  logic        mem_dmem, mem_is_store, run_req, mem_done, ex_issue;

  assign stack_amo_wr = mem_valid_q && mem_stack_q && (mem_kind_q == hermes_core_pkg::MEM_ATOMIC);
  assign stack_we     = stack_amo_wr ? amo_we : (ex_fire && ex_store_q && !mem_fault && lsu_stack);

  hermes_stack #(.TAG_W(TAG_W)) u_stack (
    .clk_i,
    .addr_i      (stack_amo_wr ? mem_stack_off_q : hlp_stk_re ? hlp_stk_off : lsu_stack_off),
    .size_i      (stack_amo_wr ? mem_size_q : hlp_stk_re ? hlp_stk_size : ex_size_q),
    .we_i        (stack_we),
    .wdata_i     (stack_amo_wr ? amo_new : ex_store_val),
    .epoch_i     (epoch_q),
    .clear_i     (clearing_q),
    .clear_idx_i (clear_idx_q),
    .rdata_o     (stack_rdata)
  );

  // Both sources are zero-extended to the access size.
  assign mem_old = mem_stack_q ? stack_rdata : dmem_rdata_i;

  hermes_amo_alu u_amo_alu (
    .op_i      (mem_amo_q),
    .size_i    (mem_size_q),
    .old_i     (mem_old),
    .operand_i (mem_wdata_q),
    .cmp_i     (mem_cmp_q),
    .new_o     (amo_new),
    .we_o      (amo_we),
    .fetch_o   (amo_fetch)
  );

  always_comb begin
    load_val = mem_old;
    if (mem_memsx_q) begin
      unique case (mem_size_q)
        2'd0:    load_val = {{56{mem_old[7]}}, mem_old[7:0]};
        2'd1:    load_val = {{48{mem_old[15]}}, mem_old[15:0]};
        default: load_val = {{32{mem_old[31]}}, mem_old[31:0]};
      endcase
    end
  end

  // dmem: responses come in request order, one per request. Stores are
  // posted (done at the grant, their responses only counted). A load or
  // atomic waits in MEM for its response, which is the one that leaves a
  // single request outstanding besides the one the instruction in EX may
  // have issued since (ex_sent_q): older stores' responses pass by.
  logic ex_sent_q;
  assign mem_dmem     = mem_valid_q && (mem_kind_q != hermes_core_pkg::MEM_NONE) && !mem_stack_q;
  assign mem_is_store = (mem_kind_q == hermes_core_pkg::MEM_STORE);
  assign run_req      = !copy_busy_q && !hlp_busy && mem_dmem && !mem_sent_q &&
                        (outstanding_q != OUTSTANDING_MAX);
  assign mem_done     = mem_is_store ? (run_req && dmem_gnt_i) :
                        (mem_sent_q && dmem_rvalid_i &&
                         (outstanding_q == (ex_sent_q ? 8'd2 : 8'd1)));
  assign mem_stall    = mem_dmem && !mem_done;
  // A data load issues from EX when MEM does not need the port (no slot
  // access there, or one already sent: a load may go out while the one
  // before it waits for its response). It is then marked sent (ex_sent_q)
  // until it leaves EX; if it is not granted, it issues again from EX or
  // MEM with the same fields. The condition uses no dmem input, so the
  // request never depends on this clock's grant or response.
  assign ex_issue     = ex_live && ex_load_q && !mem_fault && !ex_wait && !lsu_stack &&
                        !copy_busy_q && !hlp_busy && !ex_sent_q && !(mem_dmem && !mem_sent_q) &&
                        (outstanding_q != OUTSTANDING_MAX);

  always_comb begin
    if (copy_busy_q) begin
      dmem_req_o   = copy_req;
      dmem_op_o    = hermes_core_pkg::DMEM_LOAD;
      dmem_size_o  = 2'd3;
      dmem_addr_o  = prog_bar4_q + {copy_issue_q[28:0], 3'b0};
    end else if (hlp_busy) begin
      dmem_req_o   = hlp_mem_req;
      dmem_op_o    = hlp_mem_we ? hermes_core_pkg::DMEM_STORE : hermes_core_pkg::DMEM_LOAD;
      dmem_size_o  = hlp_mem_size;
      dmem_addr_o  = hlp_mem_addr;
    end else begin
      dmem_req_o   = run_req || ex_issue;
      unique case (mem_kind_q)
        hermes_core_pkg::MEM_STORE:  dmem_op_o = hermes_core_pkg::DMEM_STORE;
        hermes_core_pkg::MEM_ATOMIC: dmem_op_o = hermes_core_pkg::DMEM_ATOMIC;
        default:                     dmem_op_o = hermes_core_pkg::DMEM_LOAD;
      endcase
      dmem_size_o  = mem_size_q;
      dmem_addr_o  = mem_bar4_q;
      if (ex_issue) begin
        dmem_op_o   = hermes_core_pkg::DMEM_LOAD;
        dmem_size_o = ex_size_q;
        dmem_addr_o = lsu_bar4;
      end
    end
  end
  // Don't care for the copy's loads.
  assign dmem_amo_o   = mem_amo_q;
  assign dmem_wdata_o = hlp_busy ? hlp_mem_wdata : mem_wdata_q;
  assign dmem_cmp_o   = mem_cmp_q;

  assign finish = (state_q == S_RUN) && stop_q && !ex_valid_q && !mem_valid_q && !wb_valid_q &&
                  (outstanding_q == 8'd0) && !copy_busy_q && !hlp_busy;

  // ===================================================================
  // Helper calls (hermes_helper): fast ids answer in EX, map and trace
  // helpers run a sequence on the data port once everything older is done.
  // ===================================================================
  // (abort is not in hlp_call: a sequence under way completes and then
  // answers; only one that has not started, or still waits for the map
  // lock, is cut short by the abort fault)
  assign hlp_call    = ex_live && ex_helper_q && !budget_out && !ex_illegal_q;
  assign hlp_drained = !mem_valid_q && !wb_valid_q && outstanding_q == 8'd0 && !copy_busy_q &&
                       !clearing_q;

  hermes_helper #(
    .NUM_ENGINES     (NUM_ENGINES),
    .ENGINE_ID       (ENGINE_ID),
    .PROG_SLOT_BYTES (PROG_SLOT_BYTES),
    .DATA_SLOT_BYTES (DATA_SLOT_BYTES),
    .MAP_SLOT_BYTES  (MAP_SLOT_BYTES)
  ) u_helper (
    .clk_i,
    .rst_ni,
    .start_i      (start),
    .copy_busy_i  (copy_busy_q),
    .prog_bar4_i  (prog_bar4_q),
    .data_bar4_i  (data_bar4_q),
    .map_bar4_i   (map_bar4_q),
    .ktime_i,
    .call_i       (hlp_call),
    .abort_i      (abort_q),
    .id_i         (ex_insn_q[63:32]),
    .drained_i    (hlp_drained),
    .dry_i        (ex_fall_bad_q),
    .fire_i       (ex_fire && ex_helper_q),
    .retire_i     (!hlp_fault),
    .done_o       (hlp_done),
    .hold_o       (hlp_hold),
    .cause_o      (hlp_cause),
    .fault_addr_o (hlp_fault_addr),
    .result_o     (hlp_result),
    .busy_o       (hlp_busy),
    .rf_sel_o     (hlp_rf_sel),
    .rf_raddr_a_o (hlp_raddr_a),
    .rf_raddr_b_o (hlp_raddr_b),
    .rf_a_i       (rf_a),
    .rf_b_i       (rf_b),
    .mem_req_o    (hlp_mem_req),
    .mem_we_o     (hlp_mem_we),
    .mem_size_o   (hlp_mem_size),
    .mem_addr_o   (hlp_mem_addr),
    .mem_wdata_o  (hlp_mem_wdata),
    .mem_gnt_i    (dmem_gnt_i),
    .mem_rvalid_i (dmem_rvalid_i),
    .mem_rdata_i  (dmem_rdata_i),
    .stk_re_o     (hlp_stk_re),
    .stk_off_o    (hlp_stk_off),
    .stk_size_o   (hlp_stk_size),
    .stk_rdata_i  (stack_rdata),
    .lock_req_o,
    .lock_gnt_i
  );

  // ===================================================================
  // Sequential logic
  // ===================================================================
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q       <= S_IDLE;
      copy_busy_q   <= 1'b0;
      copy_hold_q   <= 1'b0;
      prog_bar4_q   <= '0;
      data_bar4_q   <= '0;
      map_bar4_q    <= '0;
      prog_len_q    <= '0;
      code_words_q  <= '0;
      budget_q      <= '0;
      copy_issue_q  <= '0;
      copy_recv_q   <= '0;
      outstanding_q <= '0;
      stop_q        <= 1'b0;
      abort_q       <= 1'b0;
      done_q        <= 1'b0;
      fault_cause_q <= '0;
      fault_pc_q    <= '0;
      fault_addr_q  <= '0;
      r0_q          <= '0;
      insns_q       <= '0;
      cycles_q      <= '0;
      depth_q       <= '0;
      epoch_q       <= '0;
      clearing_q    <= 1'b1;  // tag RAM content is unknown after configuration
      clear_idx_q   <= '0;
      initing_q     <= 1'b0;
      init_idx_q    <= '0;
      data_len_q    <= '0;
    end else begin
      done_q <= 1'b0;

      if (initing_q) begin
        init_idx_q <= init_idx_q + 4'd1;
        if (init_idx_q == 4'd10) initing_q <= 1'b0;
      end

      if ((dmem_req_o && dmem_gnt_i) && !dmem_rvalid_i)      outstanding_q <= outstanding_q + 8'd1;
      else if (!(dmem_req_o && dmem_gnt_i) && dmem_rvalid_i) outstanding_q <= outstanding_q - 8'd1;

      depth_q <= depth_d;
      if (state_q != S_IDLE) cycles_q <= cycles_q + 64'd1;
      if (wb_valid_q)        insns_q  <= insns_q + 64'd1;

      if (clearing_q) begin
        clear_idx_q <= clear_idx_q + 8'd1;
        if (clear_idx_q == 8'hff) clearing_q <= 1'b0;
      end

      if (start) begin
        state_q       <= S_RUN;
        copy_busy_q   <= 1'b1;
        copy_hold_q   <= 1'b0;
        prog_bar4_q   <= 32'(prog_slot_i) * 32'(PROG_SLOT_BYTES);
        data_bar4_q   <= PROG_REGION_BYTES + 32'(data_slot_i) * 32'(DATA_SLOT_BYTES);
        map_bar4_q    <= 32'(MAP_OFF) + 32'(prog_slot_i) * 32'(MAP_SLOT_BYTES);
        prog_len_q    <= prog_len_i;
        code_words_q  <= (prog_words > 32'(IMEM_WORDS)) ? 32'(IMEM_WORDS) : prog_words;
        budget_q      <= max_insns_i;
        data_len_q    <= data_len_i;
        initing_q     <= 1'b1;
        init_idx_q    <= '0;
        copy_issue_q  <= '0;
        copy_recv_q   <= '0;
        stop_q        <= 1'b0;
        abort_q       <= 1'b0;
        fault_cause_q <= '0;
        fault_pc_q    <= '0;
        fault_addr_q  <= '0;
        insns_q       <= '0;
        cycles_q      <= '0;
        epoch_q       <= epoch_q + TAG_W'(1);
      end else begin
        if (abort_i && state_q != S_IDLE) abort_q <= 1'b1;

        if (copy_busy_q) begin
          copy_hold_q <= copy_req && !dmem_gnt_i;
          if (copy_req && dmem_gnt_i) copy_issue_q <= copy_issue_q + 32'd1;
          if (dmem_rvalid_i)          copy_recv_q  <= copy_recv_q + 32'd1;
          if (copy_end)               copy_busy_q  <= 1'b0;
        end

        if (ex_fire) begin
          if (ex_fault) begin
            stop_q        <= 1'b1;
            fault_cause_q <= ex_cause;
            fault_pc_q    <= ex_pc_q;
            fault_addr_q  <= ex_fault_addr;
          end else if (ex_final) begin
            stop_q <= 1'b1;
          end
          // (also for a faulting instruction: the run ends with it)
          budget_q <= budget_q - 32'd1;
        end

        if (finish) begin
          state_q <= S_IDLE;
          done_q  <= 1'b1;
          r0_q    <= rf_r0;
          // Last epoch used: clear the tags now, while idle.
          if (epoch_q == '1) begin
            clearing_q  <= 1'b1;
            clear_idx_q <= '0;
            epoch_q     <= '0;
          end
        end
      end
    end
  end

  // Pipeline registers: valid bits and control reset, data does not.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      id_valid_q  <= 1'b0;
      id_pc_q     <= '0;
      nf_valid_q  <= 1'b0;
      nf_pc_q     <= '0;
      ex_valid_q  <= 1'b0;
      mem_valid_q <= 1'b0;
      mem_sent_q  <= 1'b0;
      ex_sent_q   <= 1'b0;
      mem_call_q  <= 1'b0;
      wb_valid_q  <= 1'b0;
      wb_call_q   <= 1'b0;
      wb_nobank_q <= 1'b0;
      cs_fresh_q  <= 1'b0;
      cs_fresh_pc_q <= '0;
      redir_q     <= 1'b0;
    end else if (start) begin
      id_valid_q  <= 1'b0;
      nf_valid_q  <= 1'b1;
      nf_pc_q     <= '0;
      ex_valid_q  <= 1'b0;
      mem_valid_q <= 1'b0;
      mem_sent_q  <= 1'b0;
      ex_sent_q   <= 1'b0;
      wb_valid_q  <= 1'b0;
      redir_q     <= 1'b0;
    end else begin
      id_valid_q <= id_valid_d;
      id_pc_q    <= id_pc_d;
      nf_valid_q <= nf_valid_d;
      nf_pc_q    <= nf_pc_d;
      if (ex_ready)                      ex_valid_q <= id_to_ex;
      else if (ex_valid_q && !ex_live)   ex_valid_q <= 1'b0;
      redir_q <= ex_fire && ex_redirect;
      if (!mem_stall) begin
        mem_valid_q <= ex_fire && !ex_fault;
        mem_sent_q  <= ex_fire && !ex_fault && (ex_sent_q || (ex_issue && dmem_gnt_i));
      end else if (run_req && dmem_gnt_i) begin
        mem_sent_q  <= 1'b1;
      end
      if (ex_fire)                      ex_sent_q <= 1'b0;
      else if (ex_issue && dmem_gnt_i)  ex_sent_q <= 1'b1;
      wb_valid_q <= mem_valid_q && !mem_stall;
      if (!mem_stall) mem_call_q <= ex_fire && ex_call_q && !call_fault;
      wb_call_q   <= mem_valid_q && !mem_stall && mem_call_q;
      cs_fresh_q  <= wb_valid_q && wb_call_q;
      if (wb_valid_q && wb_call_q) cs_fresh_pc_q <= wb_seq_pc_q;
      // The instruction entering WB is older than an exit firing now.
      wb_nobank_q <= rf_restore;
    end
  end

  always_ff @(posedge clk_i) begin
    if (ex_fire) redir_pc_q <= redirect_pc;
  end

  // EX data: loaded from ID, or refreshed with the forwarded operands while
  // the instruction waits (the producers it forwards from move on).
  always_ff @(posedge clk_i) begin
    if (ex_ready) begin
      ex_pc_q         <= id_pc_q;
      ex_insn_q       <= id_insn;
      ex_imm_q        <= id_imm;
      ex_opa_q        <= id_opa;
      ex_opb_q        <= id_opb;
      ex_opc_q        <= id_opc;
      ex_illegal_q    <= d_illegal;
      ex_div_q        <= d_div;
      ex_mul_q        <= d_mul;
      ex_alu64_q      <= d_alu64;
      ex_div_signed_q <= d_div_signed;
      ex_div_mod_q    <= d_div_mod;
      ex_lddw_q       <= d_lddw;
      ex_load_q       <= d_load;
      ex_memsx_q      <= d_memsx;
      ex_store_q      <= d_store;
      ex_breg_q       <= d_store ? !d_st_imm : (d_atomic || d_srcx);
      ex_atomic_q     <= d_atomic;
      ex_size_q       <= d_size;
      ex_jmp_q        <= d_jmp;
      ex_jmp32_q      <= d_jmp32;
      ex_call_q       <= d_call;
      ex_helper_q     <= d_helper;
      ex_exit_q       <= d_exit;
      ex_srcx_q       <= d_srcx;
      ex_rd_we_q      <= d_rd_we;
      ex_rd_q         <= d_rd;
      ex_from_mem_q   <= d_from_mem;
      ex_dst_q        <= id_dst;
      ex_src_q        <= id_src;
      ex_target_q     <= d_exit ? {2'b0, id_ret_pc} : id_target;
      ex_target_ok_q  <= id_target_ok;
      ex_fall_bad_q   <= id_fall_bad;
      ex_pred_q       <= id_predict;
      ex_ctr_q        <= id_ctr;
      ex_seq_pc_q     <= id_seq_pc;
    end else begin
      ex_opa_q <= ex_a_fwd;
      ex_opb_q <= ex_b_reg_fwd;
    end
  end

  // MEM data.
  always_ff @(posedge clk_i) begin
    if (!mem_stall) begin
      mem_pc_q        <= ex_pc_q;
      mem_insn_q      <= ex_insn_q;
      mem_result_q    <= ex_result;
      mem_rd_we_q     <= ex_call_q || ex_helper_q || (ex_exit_q && exit_ret) ||
                         (ex_rd_we_q && !ex_exit_q);
      mem_rd_q        <= (ex_call_q || ex_exit_q) ? 4'd10 : ex_helper_q ? 4'd0 : ex_rd_q;
      mem_kind_q      <= ex_load_q   ? hermes_core_pkg::MEM_LOAD :
                         ex_store_q  ? hermes_core_pkg::MEM_STORE :
                         ex_atomic_q ? hermes_core_pkg::MEM_ATOMIC : hermes_core_pkg::MEM_NONE;
      mem_size_q      <= ex_size_q;
      mem_ea_q        <= lsu_ea;
      mem_stack_q     <= lsu_stack;
      mem_stack_off_q <= lsu_stack_off;
      mem_bar4_q      <= lsu_bar4;
      mem_wdata_q     <= ex_store_val;
      mem_cmp_q       <= ex_opc_q;
      mem_amo_q       <= ex_insn_q[39:32];
      mem_memsx_q     <= ex_memsx_q;
      mem_depth_q     <= depth_q;
      mem_seq_pc_q    <= ex_seq_pc_q;
    end
  end

  // WB data: the retire record.
  always_ff @(posedge clk_i) begin
    wb_pc_q   <= mem_pc_q;
    wb_insn_q <= mem_insn_q;
    wb_rd_q   <= mem_rd_we_q ? {4'b0, mem_rd_q} : hermes_core_pkg::RD_NONE;
    unique case (mem_kind_q)
      hermes_core_pkg::MEM_LOAD: begin
        wb_rd_value_q  <= load_val;
        wb_mem_value_q <= mem_old;
      end
      hermes_core_pkg::MEM_STORE: begin
        wb_rd_value_q  <= 64'd0;
        wb_mem_value_q <= mem_wdata_q & eng_size_mask(mem_size_q);
      end
      hermes_core_pkg::MEM_ATOMIC: begin
        wb_rd_value_q  <= mem_rd_we_q ? amo_fetch : 64'd0;
        wb_mem_value_q <= amo_we ? amo_new : amo_fetch;
      end
      default: begin
        wb_rd_value_q  <= mem_rd_we_q ? mem_result_q : 64'd0;
        wb_mem_value_q <= 64'd0;
      end
    endcase
    wb_depth_q    <= mem_depth_q;
    wb_seq_pc_q   <= mem_seq_pc_q;
    wb_mem_kind_q <= mem_kind_q;
    wb_mem_size_q <= (mem_kind_q == hermes_core_pkg::MEM_NONE) ? 4'd0 : 4'(4'd1 << mem_size_q);
    wb_mem_addr_q <= (mem_kind_q == hermes_core_pkg::MEM_NONE) ? 64'd0 : mem_ea_q;
  end

  // ===================================================================
  // Outputs
  // ===================================================================
  assign busy_o        = (state_q != S_IDLE);
  assign done_o        = done_q;
  assign fault_cause_o = fault_cause_q;
  assign fault_pc_o    = fault_pc_q;
  assign fault_addr_o  = fault_addr_q;
  assign r0_o          = r0_q;
  assign insns_o       = insns_q;
  assign cycles_o      = cycles_q;

  assign rvfi_valid_o     = wb_valid_q;
  assign rvfi_pc_o        = wb_pc_q;
  assign rvfi_insn_o      = wb_insn_q;
  assign rvfi_rd_o        = wb_rd_q;
  assign rvfi_rd_value_o  = wb_rd_value_q;
  assign rvfi_mem_kind_o  = wb_mem_kind_q;
  assign rvfi_mem_size_o  = wb_mem_size_q;
  assign rvfi_mem_addr_o  = wb_mem_addr_q;
  assign rvfi_mem_value_o = wb_mem_value_q;

`ifndef SYNTHESIS
  // Pipeline invariants.
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      // One request a clock on the port: MEM's and EX's never together.
      assert (!(run_req && ex_issue)) else $error("hermes_engine: MEM and EX request together");
      // Only a load waiting in EX is marked as sent from there.
      assert (!ex_sent_q || (ex_valid_q && ex_load_q))
        else $error("hermes_engine: ex_sent_q without a load in EX");
      // A slot access completes only against a response it is owed.
      assert (!(mem_dmem && mem_done && !mem_is_store) || outstanding_q != 8'd0)
        else $error("hermes_engine: load done with nothing outstanding");
      // An exit restores a frame only once it is readable.
      assert (!rf_restore || !call_in_flight) else $error("hermes_engine: restore of a frame in flight");
      // Nothing younger than a fault or the final exit fires (it may have
      // entered EX in the clock the stop was decided; it is dropped).
      assert (!(stop_q && ex_fire)) else $error("hermes_engine: an instruction fired after the stop");
      // A redirect is never a stop: one taken a clock ago has no fault.
      assert (!(redir_q && stop_q)) else $error("hermes_engine: redirect and stop together");
      // An exit predicted in ID fetched the pc its frame returns to.
      assert (!(ex_fire && ex_redirect && ex_exit_q && ex_pred_q))
        else $error("hermes_engine: an exit mispredicted its return pc");
      // The fault decision by kind agrees with the cause.
      assert (!ex_valid_q || !(ex_jmp_q || ex_call_q || ex_exit_q || mem_op || ex_helper_q) ||
              ex_fault == ((ex_jmp_q && jmp_fault) || (ex_call_q && call_fault) ||
                           (ex_exit_q && exit_fault) || (mem_op && mem_fault) ||
                           (ex_helper_q && hlp_fault)))
        else $error("hermes_engine: fault by kind disagrees with the cause");
      // A call that retires went to its target from ID already.
      assert (!(ex_fire && !ex_fault && ex_call_q && !ex_pred_q))
        else $error("hermes_engine: a call retires without its prediction");
    end
  end
`endif

  // Geometry sanity (BAR4 addresses are 32 bits) and unused fields.
  logic unused_engine;
  assign unused_engine = ^{BAR4_BYTES[63:32], d_alu, id_insn2[31:0], fetch_pc};

endmodule
