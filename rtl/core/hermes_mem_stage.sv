// SPDX-License-Identifier: MIT
// Memory stage of hermes_engine: slot accesses on the data port (atomics
// wait for their response; stores are posted and loads leave once their
// request is out: WB takes a load's response), the engine-local
// stack (hermes_stack: stores from EX, read data here, atomics done with
// hermes_amo_alu over two clocks), a load's value (sign extension), a
// mul's product (its second clock in hermes_multiplier), and the MEM/WB
// register: the retire record.
//
// The data port answers in request order, one response per request; an
// atomic waits for the response that leaves a single request outstanding
// besides the one the instruction in EX may have issued since (sent_i):
// older stores' responses pass by. A slot load takes its response into
// the MEM/WB register if it comes while the load is in MEM (a port that
// answers the clock after the grant); else WB waits the same way for the
// response that leaves, besides its own, those of MEM's and EX's requests
// (wb_wait_o): everything behind it holds meanwhile, and MEM keeps its
// stack read (the stack's read port moves on with EX). The response only
// goes into registers here: WB sign-extends it.
module hermes_mem_stage #(
  parameter int unsigned TAG_W = 8,
  // 1: a slot load answered while in MEM (a port that answers the clock
  // after the grant) has its value sign-extended here and forwarded from
  // WB as a stack load's is: round 8's load-use clocks, with the response
  // through MEM's logic. 0: the response only goes into a register here.
  parameter bit          EARLY_LOAD_VALUE = 1'b0
) (
  input  logic                         clk_i,
  input  logic                         rst_ni,
  input  logic                         start_i,

  // The EX/MEM register, and what EX does with the port this clock.
  input  logic                         mem_valid_i,
  input  logic                         mem_call_i,
  input  hermes_core_pkg::ex_mem_t     mem_i,
  input  logic [63:0]                  mul_result_i,   // a mul in MEM: its product
  input  logic                         ex_fire_i,
  input  logic                         ex_fault_i,
  input  logic                         ex_issue_i,     // a load or store issues from EX
  input  logic                         ex_issue_sel_i, // ... or would, but for a fault: its fields
  input  logic                         ex_issue_store_i,
  input  logic [63:0]                  ex_issue_wdata_i,
  input  logic                         ex_sent_i,      // ... and was granted earlier
  input  logic [1:0]                   ex_size_i,
  input  logic [31:0]                  ex_issue_bar4_i,
  output logic                         mem_stall_o,
  output logic                         port_wanted_o,  // a slot access here not yet sent
  output logic                         port_load_o,    // a slot load here whose value comes to WB

  // The data port (the pipeline's request; the engine muxes the copy's
  // and the helper's in front).
  input  logic                         port_free_i,    // no copy, no helper, room for one more
  input  logic                         out_zero_i,     // the port owes no response
  input  logic                         out_one_i,      // exactly one
  input  logic                         out_two_i,      // exactly two
  input  logic                         out_three_i,    // exactly three
  output logic                         req_o,
  output logic [1:0]                   op_o,
  output logic [1:0]                   size_o,
  output logic [31:0]                  addr_o,
  input  logic                         dmem_gnt_i,
  input  logic                         dmem_rvalid_i,
  input  logic [63:0]                  dmem_rdata_i,

  // The stack: EX's store, the helper's read, the run tags.
  input  logic                         ex_stack_we_i,
  input  logic [11:0]                  ex_stack_off_i,
  input  logic [11:0]                  ex_stack_off_p8_i, // ex_stack_off_i + 8
  input  logic [63:0]                  ex_stack_wdata_i,
  input  logic                         hlp_stk_re_i,
  input  logic [11:0]                  hlp_stk_off_i,
  input  logic [1:0]                   hlp_stk_size_i,
  input  logic [TAG_W-1:0]             epoch_i,
  input  logic                         clearing_i,
  input  logic [7:0]                   clear_idx_i,
  output logic                         stack_amo_o,    // a stack atomic is in MEM (either clock)
  output logic                         stack_late_wr_o,// a store with a late value writes the stack
  output logic [63:0]                  stack_rdata_o,

  // An exit restores r6-r9 this clock: older writes to them are dropped.
  input  logic                         rf_restore_i,

  // The value of the slot load WB retired last (late_lv operands).
  input  logic [63:0]                  lv_i,

  // A late jump (hermes_id_stage): decided here, redirecting a clock
  // later (late_redir_o drops what is in MEM then); its counter update.
  output logic                         late_redir_o,
  output logic [31:0]                  late_redir_pc_o,
  output logic                         late_bp_upd_o,
  output logic [31:0]                  late_bp_pc_o,
  output logic [1:0]                   late_bp_ctr_o,
  output logic                         late_taken_o,

  // The MEM/WB register.
  output logic                         wb_valid_o,
  output logic                         wb_call_o,
  output logic                         wb_nobank_o,
  output hermes_core_pkg::mem_wb_t     wb_o,
  output logic                         wb_wait_o,      // the slot load in WB has no response yet
  output logic [63:0]                  late_value_o,   // the late operand MEM's instruction takes
  output logic [63:0]                  wdata_o         // store data of the request (EX's or MEM's)
);

  function automatic logic [63:0] size_mask(input logic [1:0] size);
    unique case (size)
      2'd0:    size_mask = 64'h0000_0000_0000_00ff;
      2'd1:    size_mask = 64'h0000_0000_0000_ffff;
      2'd2:    size_mask = 64'h0000_0000_ffff_ffff;
      default: size_mask = 64'hffff_ffff_ffff_ffff;
    endcase
  endfunction

  logic        mem_sent_q, wb_valid_q, wb_call_q, wb_nobank_q;
  hermes_core_pkg::mem_wb_t     wb_q, wb_d;
  logic        stack_amo, stack_amo_rd, stack_amo_wr, stack_late_wr, stack_mem_wr, stack_we, amo_we;
  logic        amo_wb_q;
  logic [63:0] amo_old_q;
  logic [63:0] wdata;
  logic [63:0] stack_rdata, stack_rd, stack_hold_q, mem_old, amo_new, amo_fetch, load_val;
  logic [63:0] late_value;
  logic        mem_dmem, mem_posted, run_req, mem_done, mem_stall, mem_fresh_q;
  logic        wb_port, wb_answer, wb_wait, mem_port_load, mem_answer;

  // The instruction in MEM is dropped when a late jump before it
  // redirected a clock ago (it fired behind the jump, changing nothing).
  logic mem_live, late_redir_q, late_taken, jmp_late;
  logic [31:0] late_redir_pc_q;
  logic [63:0] late_a, late_b;
  assign mem_live = mem_valid_i && !late_redir_q;

  // A stack atomic spends two clocks here: the first registers the old
  // value (the read EX issued as it fired) and stalls, the second computes
  // from that register and writes, so no path runs from the stack's read
  // through the operation back into its write.
  // (No stack write is ever behind an undecided late jump, so these need
  // not wait for late_redir_q: asserted below.)
  assign stack_amo    = mem_valid_i && mem_i.on_stack &&
                        (mem_i.kind == hermes_core_pkg::MEM_ATOMIC);
  assign stack_amo_rd = stack_amo && !amo_wb_q;
  assign stack_amo_wr = stack_amo && amo_wb_q;
  // A store whose value came late (from the load now in WB) writes the
  // stack here, as an atomic does; EX's accesses wait that clock.
  assign stack_late_wr = mem_valid_i && mem_i.on_stack && mem_i.wdata_late &&
                         (mem_i.kind == hermes_core_pkg::MEM_STORE);
  assign stack_mem_wr  = stack_amo_wr || stack_late_wr;
  assign stack_we      = stack_amo_wr ? amo_we : stack_late_wr ? 1'b1 : ex_stack_we_i;
  // A late operand: the value of the load before it, in WB's register
  // (a stack load) or retired (a slot load: EX held the instruction until
  // the load's response came).
  assign late_value    = mem_i.late_lv ? lv_i : wb_q.rd_value;
  // Store data: a late value (the load before it).
  assign wdata         = mem_i.wdata_late ? late_value : mem_i.wdata;

  // Each source's address and the next word's, selected together.
  logic [11:0] mem_stack_off_p8, hlp_stk_off_p8;
  assign mem_stack_off_p8 = mem_i.stack_off + 12'd8;
  assign hlp_stk_off_p8   = hlp_stk_off_i + 12'd8;

  hermes_stack #(.TAG_W(TAG_W)) u_stack (
    .clk_i,
    .addr_i      (stack_mem_wr ? mem_i.stack_off : hlp_stk_re_i ? hlp_stk_off_i : ex_stack_off_i),
    .addr_p8_i   (stack_mem_wr ? mem_stack_off_p8 : hlp_stk_re_i ? hlp_stk_off_p8 : ex_stack_off_p8_i),
    .size_i      (stack_mem_wr ? mem_i.size : hlp_stk_re_i ? hlp_stk_size_i : ex_size_i),
    .we_i        (stack_we),
    .wdata_i     (stack_amo_wr ? amo_new : stack_late_wr ? wdata : ex_stack_wdata_i),
    .epoch_i     (epoch_i),
    .clear_i     (clearing_i),
    .clear_idx_i (clear_idx_i),
    .rdata_o     (stack_rdata)
  );

  // Every source is zero-extended to the access size. The stack atomic's
  // operation takes the stack's old value from its register only, so no
  // path, not even one never used, runs from the stack's read into its
  // write. A slot atomic's operation ran in the slot memory; its old value
  // (the response, zero-extended for W) is what it returns, and WB
  // repeats the operation on it for the retire record alone, so no path
  // runs from the port's response through an operation here.
  logic [63:0] slot_amo_old;
  // The stack's read data belongs to MEM's instruction in its first clock
  // here (EX read it as it fired); later clocks take the copy of it.
  assign stack_rd = mem_fresh_q ? stack_rdata : stack_hold_q;
  assign mem_old  = (EARLY_LOAD_VALUE && !mem_i.on_stack) ? dmem_rdata_i : stack_rd;

  hermes_amo_alu u_amo_alu (
    .op_i      (mem_i.amo),
    .size_i    (mem_i.size),
    .old_i     (amo_old_q),
    .operand_i (mem_i.wdata),
    .cmp_i     (mem_i.cmp),
    .new_o     (amo_new),
    .we_o      (amo_we),
    .fetch_o   (amo_fetch)
  );

  // (what the fetch returns: zero-extended for W)
  assign slot_amo_old = (mem_i.size != 2'd3) ? {32'b0, dmem_rdata_i[31:0]} : dmem_rdata_i;

  assign load_val = hermes_core_pkg::load_value(mem_old, mem_i.size, mem_i.memsx);

  assign mem_dmem     = mem_live && (mem_i.kind != hermes_core_pkg::MEM_NONE) && !mem_i.on_stack;
  // A store or a load is done here once its request is out.
  assign mem_posted   = (mem_i.kind != hermes_core_pkg::MEM_ATOMIC);
  assign run_req      = port_free_i && mem_dmem && !mem_sent_q;
  // The response arriving now is the one for the instruction with k
  // requests sent behind it in earlier clocks when exactly k + 1 are owed
  // (in request order: older ones' responses came first; a request
  // granted now is not counted yet).
  logic [2:0] owed_is;
  assign owed_is    = {out_three_i, out_two_i, out_one_i};
  assign mem_answer = mem_sent_q && dmem_rvalid_i && owed_is[{1'b0, ex_sent_i}];
  assign mem_done     = mem_posted ? (mem_sent_q || (run_req && dmem_gnt_i)) : mem_answer;
  assign mem_port_load = (mem_i.kind == hermes_core_pkg::MEM_LOAD) && !mem_i.on_stack;

  // The slot load in WB: behind it MEM's and EX's requests.
  assign wb_port   = wb_valid_q && wb_q.port_load && !wb_q.port_early;
  assign wb_answer = dmem_rvalid_i && owed_is[2'(mem_sent_q) + 2'(ex_sent_i)];
  assign wb_wait   = wb_port && !wb_answer;
  assign mem_stall = (mem_dmem && !mem_done) || stack_amo_rd || wb_wait;

  // MEM's access, else a load issuing from EX (never both: asserted). The
  // fields are EX's whenever EX would issue, fault or not (MEM then has
  // nothing to send), so only req_o waits for EX's bounds check.
  always_comb begin
    req_o  = run_req || ex_issue_i;
    unique case (mem_i.kind)
      hermes_core_pkg::MEM_STORE:  op_o = hermes_core_pkg::DMEM_STORE;
      hermes_core_pkg::MEM_ATOMIC: op_o = hermes_core_pkg::DMEM_ATOMIC;
      default:    op_o = hermes_core_pkg::DMEM_LOAD;
    endcase
    size_o = mem_i.size;
    addr_o = mem_i.bar4;
    if (ex_issue_sel_i) begin
      op_o   = ex_issue_store_i ? hermes_core_pkg::DMEM_STORE : hermes_core_pkg::DMEM_LOAD;
      size_o = ex_size_i;
      addr_o = ex_issue_bar4_i;
    end
  end

  // A late jump's operands: dst (in ea) and src or imm (in wdata), the
  // late one(s) the value of the load now in WB.
  assign jmp_late = mem_live && mem_i.jlate;
  assign late_a   = mem_i.jlate_a ? late_value : mem_i.ea;
  assign late_b   = mem_i.jlate_b ? late_value : mem_i.wdata;

  hermes_branch_cmp u_late_cmp (
    .op_i    (mem_i.insn[7:4]),
    .jmp32_i (mem_i.insn[2:0] == hermes_core_pkg::CLS_JMP32),
    .a_i     (late_a),
    .b_i     (late_b),
    .taken_o (late_taken)
  );

  assign late_bp_upd_o = jmp_late;
  assign late_bp_pc_o  = mem_i.pc;
  assign late_bp_ctr_o = mem_i.ctr;
  assign late_taken_o  = late_taken;

  logic [63:0] wb_rd_value, wb_mem_value;
  always_comb begin
    unique case (mem_i.kind)
      hermes_core_pkg::MEM_LOAD: begin
        wb_rd_value  = load_val;   // (a stack load's, or an early one's: WB takes a slot load's)
        wb_mem_value = mem_i.on_stack ? mem_old : dmem_rdata_i;
      end
      hermes_core_pkg::MEM_STORE: begin
        wb_rd_value  = 64'd0;
        wb_mem_value = wdata & size_mask(mem_i.size);
      end
      hermes_core_pkg::MEM_ATOMIC: begin
        if (mem_i.on_stack) begin
          wb_rd_value  = mem_i.rd_we ? amo_fetch : 64'd0;
          wb_mem_value = amo_we ? amo_new : amo_fetch;
        end else begin
          wb_rd_value  = mem_i.rd_we ? slot_amo_old : 64'd0;
          wb_mem_value = slot_amo_old;   // WB computes what it stored
        end
      end
      default: begin
        wb_rd_value  = !mem_i.rd_we ? 64'd0 : mem_i.mul ? mul_result_i : mem_i.result;
        wb_mem_value = 64'd0;
      end
    endcase
  end

  always_comb begin
    wb_d.port_load  = mem_port_load && !(EARLY_LOAD_VALUE && mem_answer);
    wb_d.port_early = !EARLY_LOAD_VALUE && mem_answer;
    wb_d.memsx     = mem_i.memsx;
    wb_d.size      = mem_i.size;
    wb_d.slot_amo  = (mem_i.kind == hermes_core_pkg::MEM_ATOMIC) && !mem_i.on_stack;
    wb_d.amo       = mem_i.amo;
    wb_d.amo_operand = mem_i.wdata;
    wb_d.amo_cmp   = mem_i.cmp;
    wb_d.rd        = mem_i.rd_we ? {4'b0, mem_i.rd} : hermes_core_pkg::RD_NONE;
    wb_d.mem_kind  = mem_i.kind;
    wb_d.mem_size  = (mem_i.kind == hermes_core_pkg::MEM_NONE) ? 4'd0 : 4'(4'd1 << mem_i.size);
    wb_d.depth     = mem_i.depth;
    wb_d.pc        = mem_i.pc;
    wb_d.seq_pc    = mem_i.seq_pc;
    wb_d.insn      = mem_i.insn;
    wb_d.rd_value  = wb_rd_value;
    wb_d.mem_addr  = (mem_i.kind == hermes_core_pkg::MEM_NONE) ? 64'd0 : mem_i.ea;
    wb_d.mem_value = wb_mem_value;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mem_sent_q   <= 1'b0;
      wb_valid_q   <= 1'b0;
      wb_call_q    <= 1'b0;
      wb_nobank_q  <= 1'b0;
      late_redir_q <= 1'b0;
      amo_wb_q     <= 1'b0;
      mem_fresh_q  <= 1'b1;
    end else if (start_i) begin
      mem_sent_q   <= 1'b0;
      wb_valid_q   <= 1'b0;
      late_redir_q <= 1'b0;
      amo_wb_q     <= 1'b0;
    end else begin
      amo_wb_q     <= stack_amo_rd;
      mem_fresh_q  <= !mem_stall;
      // (a late jump never waits in MEM: it is no slot access)
      late_redir_q <= jmp_late && (late_taken != mem_i.pred);
      if (!mem_stall) begin
        mem_sent_q <= ex_fire_i && !ex_fault_i && (ex_sent_i || (ex_issue_i && dmem_gnt_i));
      end else if (run_req && dmem_gnt_i) begin
        mem_sent_q <= 1'b1;
      end
      if (!wb_wait) begin
        wb_valid_q  <= mem_live && !mem_stall;
        wb_call_q   <= mem_live && !mem_stall && mem_call_i;
        // The instruction entering WB is older than an exit firing now.
        wb_nobank_q <= rf_restore_i;
      end
    end
  end

  // The retire record: data not reset.
  always_ff @(posedge clk_i) begin
    if (!wb_wait) wb_q <= wb_d;
    if (stack_amo_rd) amo_old_q <= stack_rd;
    stack_hold_q <= stack_rd;
    if (jmp_late) late_redir_pc_q <= mem_i.pred ? mem_i.seq_pc : mem_i.target;
  end

  assign late_redir_o    = late_redir_q;
  assign late_redir_pc_o = late_redir_pc_q;

  assign mem_stall_o   = mem_stall;
  assign port_wanted_o = mem_dmem && !mem_sent_q;
  assign port_load_o   = mem_valid_i && wb_d.port_load;
  // (EX's slot accesses wait through both clocks of a stack atomic: a
  // request raised in its first would be withdrawn in its second. A late
  // store's write is one clock, with MEM never held: only EX's stack
  // accesses wait for it, as they need the stack's one port.)
  assign stack_amo_o     = stack_amo;
  assign stack_late_wr_o = stack_late_wr;
  assign wdata_o       = ex_issue_sel_i ? ex_issue_wdata_i : wdata;
  assign stack_rdata_o = stack_rdata;
  assign wb_valid_o    = wb_valid_q;
  assign wb_call_o     = wb_call_q;
  assign wb_nobank_o   = wb_nobank_q;
  assign wb_o          = wb_q;
  assign wb_wait_o     = wb_wait;
  assign late_value_o  = late_value;

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      // A late jump's redirect never drops a stack write.
      assert (!(late_redir_q && mem_valid_i && mem_i.on_stack &&
                mem_i.kind inside {hermes_core_pkg::MEM_STORE, hermes_core_pkg::MEM_ATOMIC}))
        else $error("hermes_mem_stage: a stack write behind an undecided late jump");
      // A stack atomic's second clock always follows its first.
      assert (!amo_wb_q || stack_amo)
        else $error("hermes_mem_stage: a stack atomic left MEM between its two clocks");
      // A late jump is never a slot access and never stalls here (no
      // slot load waits in WB behind the load it depends on).
      assert (!(mem_valid_i && mem_i.jlate) || !mem_stall)
        else $error("hermes_mem_stage: a late jump stalls");
      // Nor does a store with a late value find a slot load waiting in WB.
      assert (!(mem_valid_i && mem_i.wdata_late) || !wb_wait)
        else $error("hermes_mem_stage: a store with a late value behind a waiting load");
      // A slot load in WB is owed its response.
      assert (!wb_port || !out_zero_i)
        else $error("hermes_mem_stage: a slot load in WB with nothing outstanding");
      // One request a clock on the port: MEM's and EX's never together.
      assert (!(run_req && ex_issue_sel_i)) else $error("hermes_mem_stage: MEM and EX request together");
      assert (!ex_issue_i || ex_issue_sel_i) else $error("hermes_mem_stage: EX issues unselected");
      // A slot access completes only against a response it is owed.
      assert (!(mem_dmem && mem_done && !mem_posted) || !out_zero_i)
        else $error("hermes_mem_stage: load done with nothing outstanding");
    end
  end
`endif

endmodule
