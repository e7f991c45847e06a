// SPDX-License-Identifier: MIT
// Hardware queue dispatcher (docs/HWQUEUE.md). Takes submission entries
// from the enabled queues round robin, one at a time: fetches the entry
// (one line of card memory), checks it, claims an idle engine, allocates
// a data slot, copies the input in and starts the engine. While engines
// run it goes on with the next entry; a finished engine is retired first:
// output copied out, slot released, completion written. An entry that
// fails its checks completes at once with an error status and never stops
// its queue. A queue is served only while its completion ring has room for
// every job it has in flight plus one (credits), so a completion is never
// dropped nor overwritten and a full ring holds back only its own queue.
//
// Memory: one 64-byte line port into card memory (the BAR4 side of
// hermes_slot_mem); input and output addresses are line aligned.
//
// Depth: every path within 8 levels (docs/AREA.md). What the control needs
// from the queues' configuration and indices is registered ahead of its
// use: per queue masks, credit and the pick (see eligibility), the next
// ring index of every queue side by side, the completion address; an
// entry's checks are registered in SCheck and acted on in SDecide.
module hermes_hwq_disp #(
  parameter int unsigned NUM_QUEUES      = hermes_pkg::DEFAULT_QUEUES,
  parameter int unsigned NUM_ENGINES     = hermes_pkg::DEFAULT_ENGINES,
  parameter int unsigned NUM_PROG_SLOTS  = hermes_pkg::DEFAULT_PROG_SLOTS,
  parameter int unsigned PROG_SLOT_BYTES = hermes_pkg::DEFAULT_PROG_SLOT_SIZE,
  parameter int unsigned DATA_SLOT_BYTES = hermes_pkg::DEFAULT_DATA_SLOT_SIZE,
  parameter int unsigned MAX_INSNS       = hermes_pkg::DEFAULT_MAX_INSNS,
  parameter int unsigned CARD_BYTES      = 32'h0120_0000,
  parameter int unsigned LINE_AW         = 19
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,
  input  logic                       quiesce_i,    // card reset draining: start nothing

  // Queue configuration (hermes_hwq_regs).
  input  logic [NUM_QUEUES-1:0]      en_i,
  input  logic [NUM_QUEUES-1:0]      start_i,
  input  logic [NUM_QUEUES*32-1:0]   sq_base_i,
  input  logic [NUM_QUEUES*32-1:0]   cq_base_i,
  input  logic [NUM_QUEUES*4-1:0]    sq_log2_i,
  input  logic [NUM_QUEUES*4-1:0]    cq_log2_i,
  input  logic [NUM_QUEUES-1:0]      cq_wide_i,    // 64-byte completions
  input  logic [NUM_QUEUES*16-1:0]   q_eng_i,      // engines queue q may use, 0: all
  input  logic [NUM_QUEUES*16-1:0]   sq_tail_i,
  input  logic [NUM_QUEUES*16-1:0]   cq_head_i,
  output logic [NUM_QUEUES*16-1:0]   sq_head_o,
  output logic [NUM_QUEUES*16-1:0]   cq_tail_o,
  output logic [NUM_QUEUES-1:0]      cpl_o,
  output logic [NUM_QUEUES-1:0]      q_busy_o,     // jobs of queue q in flight, or its entry in hand

  // Engines: the dispatcher uses those in eng_mask_i and drives engine e
  // while own_o[e].
  input  logic [NUM_ENGINES-1:0]     eng_mask_i,
  output logic [NUM_ENGINES-1:0]     own_o,
  output logic [NUM_ENGINES-1:0]     eng_start_o,
  output logic [7:0]                 eng_prog_slot_o,
  output logic [7:0]                 eng_data_slot_o,
  output logic [31:0]                eng_prog_len_o,
  output logic [31:0]                eng_data_len_o,
  output logic [31:0]                eng_max_insns_o,
  input  logic [NUM_ENGINES-1:0]     eng_busy_i,
  input  logic [NUM_ENGINES-1:0]     cmd_busy_i,   // a command processor is working
  input  logic [NUM_ENGINES-1:0]     eng_done_i,
  input  logic [NUM_ENGINES*4-1:0]   eng_fault_cause_i,
  input  logic [NUM_ENGINES*32-1:0]  eng_fault_pc_i,
  input  logic [NUM_ENGINES*64-1:0]  eng_r0_i,
  input  logic [NUM_ENGINES*64-1:0]  eng_insns_i,
  input  logic [NUM_ENGINES*64-1:0]  eng_cycles_i,
  input  logic [NUM_ENGINES*64-1:0]  eng_fault_addr_i,

  // Slot allocator port: the request is held until alloc_ack_i, which
  // brings the answer (hermes_slot_alloc).
  output logic                       alloc_req_o,
  output logic                       alloc_release_o,
  output logic [7:0]                 alloc_slot_o,
  input  logic                       alloc_ack_i,
  input  logic                       alloc_ok_i,
  input  logic [7:0]                 alloc_slot_i,
  input  logic [NUM_PROG_SLOTS-1:0]  prog_used_i,

  // Card memory line port.
  output logic                       mem_req_o,
  output logic                       mem_we_o,
  output logic [LINE_AW-1:0]         mem_addr_o,
  output logic [511:0]               mem_wdata_o,
  output logic [63:0]                mem_be_o,
  input  logic                       mem_gnt_i,
  input  logic                       mem_rvalid_i,
  input  logic [511:0]               mem_rdata_i,

  output logic                       busy_o
);

  localparam int unsigned QW = (NUM_QUEUES > 1) ? $clog2(NUM_QUEUES) : 1;
  localparam int unsigned EW = (NUM_ENGINES > 1) ? $clog2(NUM_ENGINES) : 1;
  localparam int unsigned DataBase = NUM_PROG_SLOTS * PROG_SLOT_BYTES;

  typedef enum logic [3:0] {
    SIdle, SFetch, SFetchWait, SCheck, SDecide, SAlloc, SCopyRd, SCopyWait, SCopyWr,
    SStart, SRelease, SCqe
  } state_e;

  state_e state_q, state_d;

  // Per-queue state.
  logic [15:0] sq_head_q [NUM_QUEUES];
  logic [15:0] cq_tail_q [NUM_QUEUES];
  logic [NUM_QUEUES-1:0] phase_q, wait_q, link_fail_q;
  logic [7:0]  inflight_q [NUM_QUEUES];

  // Per-engine job context.
  logic [NUM_ENGINES-1:0] own_q, done_q;
  logic [QW-1:0]  job_q_q     [NUM_ENGINES];
  logic [63:0]    job_tag_q   [NUM_ENGINES];
  logic [31:0]    job_oaddr_q [NUM_ENGINES];
  logic [31:0]    job_olen_q  [NUM_ENGINES];
  logic [7:0]     job_slot_q  [NUM_ENGINES];
  logic [15:0]    job_idx_q   [NUM_ENGINES];
  logic           job_link_q  [NUM_ENGINES];

  // The job being worked on.
  logic [QW-1:0]  cur_q_q;
  logic [EW-1:0]  cur_e_q;
  logic           cur_run_q;      // an engine job (else an entry completed at once)
  hermes_hwq_pkg::sqe_t           sqe_q;
  logic [15:0]    cur_idx_q;
  logic [7:0]     cur_slot_q;
  logic [7:0]     cur_status_q;   // the entry's checks (SCheck)
  logic           drain_q;        // the entry waits for its queue's jobs (SCheck)
  logic           cur_retire_q;   // copying output (else input)
  logic [31:0]    src_q, dst_q, left_q;
  logic [511:0]   line_q;
  // Round robin: bits [q*NUM_QUEUES +: NUM_QUEUES] of ahead_q are the
  // queues that come before q in the order starting at the queue after the
  // last one served. A register, rewritten only when a queue is served, so
  // that the pick is an AND per queue rather than every pair's order
  // computed every clock.
  localparam int unsigned NQ2 = NUM_QUEUES * NUM_QUEUES;
  logic [NQ2-1:0] ahead_q;

  function automatic logic [NQ2-1:0] order_from(input int unsigned first);
    for (int unsigned q = 0; q < NUM_QUEUES; q++)
      for (int unsigned p = 0; p < NUM_QUEUES; p++)
        order_from[q*NUM_QUEUES + p] = p != q &&
          (p + NUM_QUEUES - first) % NUM_QUEUES < (q + NUM_QUEUES - first) % NUM_QUEUES;
  endfunction

  // ---- eligibility ----
  // Picking a queue and claiming an engine for it is three steps, each
  // within the depth budget (docs/AREA.md: 8 levels):
  //   1. per queue, registered every clock: its completion credit (room_q:
  //      room for its jobs in flight plus one; room2_q: plus two), whether
  //      it has entries, whether an engine of its own is free;
  //   2. registered every clock: the queue to serve next (pick_q, one-hot),
  //      round robin among the eligible ones;
  //   3. in SIdle: the claim of the first free engine of the picked queue,
  //      checked against this clock's engines and enables.
  // A claim thus sees the queues as they were up to two clocks before.
  // What the dispatcher itself changed in the current queue meanwhile is
  // accounted for (grow_q, hold_q below), so a claim is always one the
  // values of its own clock allow (asserted); the rest can only make a
  // queue wait (an engine taken: the claim checks it again; an engine
  // freed, a job's completion retired: seen up to two clocks later). The host's
  // doorbells and CQ head reach the pick two clocks later than before, as
  // if written that much later.
  logic [NUM_ENGINES-1:0] free_eng;
  logic any_free, any_done;
  logic [EW-1:0] free_idx, done_idx;

  // Engines queue q may use: its own mask (0: all) within EHQENG.
  function automatic logic [NUM_ENGINES-1:0] q_engines(logic [15:0] m);
    q_engines = m == 0 ? '1 : NUM_ENGINES'(m);
  endfunction

  // The low l2 bits set: a decode, no carry.
  function automatic logic [15:0] mask16(logic [3:0] l2);
    mask16 = ~(16'hffff << l2);
  endfunction

  always_comb begin
    free_eng = eng_mask_i & ~own_q & ~eng_busy_i & ~cmd_busy_i;
    any_done = 1'b0;
    done_idx = '0;
    for (int unsigned e = 0; e < NUM_ENGINES; e++)
      if (!any_done && done_q[e]) begin any_done = 1'b1; done_idx = EW'(e); end
  end

  // Per queue, registered from its configuration every clock: the SQ and
  // CQ index masks and the engines it may use. A queue's configuration does
  // not change while it is enabled (hermes_hwq_regs refuses the write;
  // asserted below), and it is enabled no sooner than 4 clocks after the
  // last configuration write, so while a queue can be picked these hold
  // its configuration.
  logic [15:0]            smask_q [NUM_QUEUES];
  logic [15:0]            cmask_q [NUM_QUEUES];
  logic [NUM_ENGINES-1:0] qeng_q  [NUM_QUEUES];

  // Stage 1. Completion places in use: written and not consumed, plus
  // reserved by running jobs. Not in the clock a queue starts: its indices
  // are reset then.
  logic [NUM_QUEUES-1:0] room_d, room2_d, room_q, room2_q;
  logic [15:0]           occ  [NUM_QUEUES];
  logic [16:0]           used [NUM_QUEUES];
  always_comb begin
    for (int unsigned q = 0; q < NUM_QUEUES; q++) begin
      occ[q]     = (cq_tail_q[q] - cq_head_i[q*16 +: 16]) & cmask_q[q];
      used[q]    = 17'(occ[q]) + 17'(inflight_q[q]);
      room_d[q]  = !start_i[q] && used[q] < 17'(cmask_q[q]);
      // used + 1 < mask; the mask is odd (or 0: no room either way).
      room2_d[q] = !start_i[q] && used[q] < 17'({cmask_q[q][15:1], 1'b0});
    end
  end

  // Stage 1 too: whether the queue has entries and whether an engine of
  // its own is free (one taken meanwhile is checked again by the claim).
  // No entries in the clock the queue starts.
  logic [NUM_QUEUES-1:0] has_sqe_d, has_sqe_q, has_eng_d, has_eng_q;
  always_comb begin
    for (int unsigned q = 0; q < NUM_QUEUES; q++) begin
      has_sqe_d[q] = !start_i[q] && sq_head_q[q] != sq_tail_i[q*16 +: 16];
      has_eng_d[q] = (free_eng & qeng_q[q]) != 0;
    end
  end

  // What the dispatcher changes in the current queue while a pick cannot
  // see it yet, from registers so that stage 2 decodes no state: a pick
  // made in clock c is claimed in c + 1 and sees stage 1 of c - 1.
  //  - grow_q[q]: q is the current queue, and a job may start (SStart) or
  //    an entry complete at once (SCqe of a failed entry) in this clock, or
  //    did in the last: either takes a completion place, a job one in
  //    flight too, so q's credit is room2_q and, if it waits for its jobs,
  //    it has one. Set from the states that lead there (SAlloc, SCopyWr of
  //    an input, SDecide) and from those two.
  //  - hold_q[q]: q is the current queue and its entry is decided
  //    (SDecide) in this clock or was in the last: its SQ head moves and
  //    its wait is set, which has_sqe_q and wait_q do not show yet; q is
  //    not picked (after SDecide comes SIdle only for a drain).
  // Whether a queue has jobs in flight (infl_q) is registered too: one
  // more is in grow_q, one fewer only makes the queue wait a clock.
  logic [NUM_QUEUES-1:0] grow_q, hold_q, infl_q, q_busy_q;

  // Stage 2.
  logic [NUM_QUEUES-1:0] elig, credit, pick_d, pick_q;
  always_comb begin
    for (int unsigned q = 0; q < NUM_QUEUES; q++) begin
      credit[q] = grow_q[q] ? room2_q[q] : room_q[q];
      elig[q]   = en_i[q] && !start_i[q] && has_sqe_q[q] && has_eng_q[q] && credit[q] &&
                  !(wait_q[q] && (infl_q[q] || grow_q[q])) && !hold_q[q];
    end
    // Queue q is picked when eligible and no eligible queue is ahead of it.
    for (int unsigned q = 0; q < NUM_QUEUES; q++)
      pick_d[q] = elig[q] && (elig & ahead_q[q*NUM_QUEUES +: NUM_QUEUES]) == '0;
  end

  // Stage 3: the picked queue (one-hot), its first free engine (one-hot:
  // free_oh), both as AND-OR terms rather than priority chains.
  logic [QW-1:0]          pick;
  logic [NUM_ENGINES-1:0] pick_free, pick_eng, free_oh;
  logic                   pick_en, claim;
  always_comb begin
    pick     = '0;
    pick_eng = '0;
    for (int unsigned q = 0; q < NUM_QUEUES; q++) begin
      if (pick_q[q]) pick = pick | QW'(q);
      pick_eng = pick_eng | (qeng_q[q] & {NUM_ENGINES{pick_q[q]}});
    end
    pick_en   = (pick_q & en_i) != 0;
    pick_free = free_eng & pick_eng;
    any_free  = pick_free != 0;
    free_oh   = pick_free & ~(pick_free - 1'b1);
    free_idx  = '0;
    for (int unsigned e = 0; e < NUM_ENGINES; e++)
      if (free_oh[e]) free_idx = free_idx | EW'(e);
    claim = !any_done && pick_en && any_free && !quiesce_i;
  end

  // Per queue, the ring indices one on (masked by the ring size) and
  // whether the CQ wraps there: computed for every queue side by side, so
  // that an update selects a result rather than its operands.
  logic [15:0]           sq_head_inc [NUM_QUEUES];
  logic [15:0]           cq_tail_inc [NUM_QUEUES];
  logic [NUM_QUEUES-1:0] cq_wrap;
  always_comb begin
    for (int unsigned q = 0; q < NUM_QUEUES; q++) begin
      sq_head_inc[q] = (sq_head_q[q] + 1'b1) & smask_q[q];
      cq_tail_inc[q] = (cq_tail_q[q] + 1'b1) & mask16(cq_log2_i[q*4 +: 4]);
      // (tail + 1) & mask == 0, without the carry: the mask is all ones.
      cq_wrap[q]     = (cq_tail_q[q] & mask16(cq_log2_i[q*4 +: 4])) == mask16(cq_log2_i[q*4 +: 4]);
    end
  end

  // ---- entry checks ----
  function automatic logic range_ok(logic [63:0] addr, logic [31:0] len);
    range_ok = len == 0 || (addr[63:32] == 0 && addr[5:0] == 0 && len <= DATA_SLOT_BYTES &&
                          33'(addr[31:0]) + 33'(len) <= 33'(CARD_BYTES));
  endfunction

  logic       prog_ok;
  logic [7:0] check_status;
  always_comb begin
    prog_ok = hermes_pkg::slot_used(256'(prog_used_i), sqe_q.prog_slot);
    if (link_fail_q[cur_q_q])
      check_status = 8'(hermes_pkg::ST_CANCELED);
    else if (sqe_q.version != 8'(hermes_pkg::QE_VERSION) || sqe_q.opcode != 8'(hermes_pkg::QOP_RUN))
      check_status = 8'(hermes_pkg::ST_BAD_OPCODE);
    else if (!prog_ok)
      check_status = 8'(hermes_pkg::ST_BAD_PROG_SLOT);
    else if (sqe_q.prog_len == 0 || sqe_q.prog_len[2:0] != 0 || sqe_q.prog_len > PROG_SLOT_BYTES ||
             !range_ok(sqe_q.in_addr, sqe_q.in_len) || !range_ok(sqe_q.out_addr, sqe_q.out_len) ||
             sqe_q.data_len > DATA_SLOT_BYTES)
      check_status = 8'(hermes_pkg::ST_BAD_ADDR);
    else
      check_status = 8'(hermes_pkg::ST_SUCCESS);
  end

  // ---- completion ----
  hermes_hwq_pkg::cqe_t        cqe;
  hermes_hwq_pkg::cqe_ext_t    cqe_ext;
  // Where the current job's completion goes, registered every clock: it
  // is written in SCqe, which comes two clocks or more after the job was
  // taken up in SIdle, and what it is computed from holds meanwhile (the
  // CQ tail moves only with the write; the queue's configuration only while
  // the queue is disabled, asserted below) except when the queue is
  // started: the write then waits a clock (cq_stale_q).
  logic [31:0] cq_addr_d, cq_addr_q;
  logic        cq_wide_q, cq_stale_q;
  assign cq_addr_d = cq_base_i[32'(cur_q_q)*32 +: 32] +
                     (32'(cq_tail_q[cur_q_q]) << (cq_wide_i[cur_q_q] ? 6 : 5));
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cq_addr_q  <= '0;
      cq_wide_q  <= 1'b0;
      cq_stale_q <= 1'b0;
    end else begin
      cq_addr_q  <= cq_addr_d;
      cq_wide_q  <= cq_wide_i[cur_q_q];
      cq_stale_q <= start_i[cur_q_q];
    end
  end

  logic [7:0] eng_status, eng_cause;
  always_comb begin
    eng_cause  = {4'h0, eng_fault_cause_i[32'(cur_e_q)*4 +: 4]};
    eng_status = eng_cause == 0 ? 8'(hermes_pkg::ST_SUCCESS) : 8'(hermes_pkg::ST_EBPF_ERROR);
    cqe        = '0;
    cqe.flags  = {7'h0, phase_q[cur_q_q]};
    cqe_ext        = '0;
    cqe_ext.engine = 8'hff;
    if (cur_run_q) begin
      cqe_ext.engine     = 8'(cur_e_q);
      cqe_ext.cycles     = eng_cycles_i[32'(cur_e_q)*64 +: 64];
      cqe_ext.fault_addr = eng_status == 0 ? '0 : eng_fault_addr_i[32'(cur_e_q)*64 +: 64];
      cqe.tag      = job_tag_q[cur_e_q];
      cqe.sq_idx   = job_idx_q[cur_e_q];
      cqe.status   = eng_status;
      cqe.cause    = eng_cause;
      cqe.r0       = eng_status == 0 ? eng_r0_i[32'(cur_e_q)*64 +: 64] : '0;
      cqe.fault_pc = eng_status == 0 ? '0 : eng_fault_pc_i[32'(cur_e_q)*32 +: 32];
      cqe.retired  = eng_insns_i[32'(cur_e_q)*64 +: 32];
    end else begin
      cqe.tag    = sqe_q.tag;
      cqe.sq_idx = cur_idx_q;
      cqe.status = cur_status_q;
    end
  end

  // ---- memory port ----
  logic [63:0] last_be;
  // The low left_q bytes (all from 64 on): a decode, no carry.
  assign last_be = left_q >= 64 ? '1 : ~(64'hffff_ffff_ffff_ffff << left_q[5:0]);

  always_comb begin
    mem_req_o   = 1'b0;
    mem_we_o    = 1'b0;
    mem_addr_o  = '0;
    mem_wdata_o = line_q;
    mem_be_o    = '1;
    unique case (state_q)
      SFetch: begin
        mem_req_o  = 1'b1;
        mem_addr_o = LINE_AW'((sq_base_i[32'(cur_q_q)*32 +: 32] >> 6) + 32'(cur_idx_q));
      end
      SCopyRd: begin
        mem_req_o  = 1'b1;
        mem_addr_o = LINE_AW'(src_q >> 6);
      end
      SCopyWr: begin
        mem_req_o  = 1'b1;
        mem_we_o   = 1'b1;
        mem_addr_o = LINE_AW'(dst_q >> 6);
        mem_be_o   = last_be;
      end
      SCqe: begin
        mem_req_o   = !cq_stale_q;  // the grant comes only to a request
        mem_we_o    = 1'b1;
        mem_addr_o  = LINE_AW'(cq_addr_q >> 6);
        // A wide completion is the whole line, phase bit included: one write.
        mem_wdata_o = cq_wide_q ? {cqe_ext, cqe} : {cqe, cqe};
        mem_be_o    = cq_wide_q ? '1 : cq_addr_q[5] ? {32'hffff_ffff, 32'h0} : {32'h0, 32'hffff_ffff};
      end
      default: ;
    endcase
  end

  assign alloc_req_o     = state_q == SAlloc || state_q == SRelease;
  assign alloc_release_o = state_q == SRelease;
  assign alloc_slot_o    = cur_slot_q;

  // ---- control ----
  always_comb begin
    state_d = state_q;
    unique case (state_q)
      SIdle: begin
        if (any_done)                             state_d = job_olen_q[done_idx] != 0 ? SCopyRd : SRelease;
        else if (claim)                           state_d = SFetch;
      end
      SFetch:     if (mem_gnt_i) state_d = SFetchWait;
      SFetchWait: if (mem_rvalid_i) state_d = SCheck;
      SCheck:     state_d = SDecide;
      SDecide: begin
        if (drain_q)                state_d = SIdle;
        else if (cur_status_q != 0) state_d = SCqe;
        else                        state_d = SAlloc;
      end
      SAlloc:     if (alloc_ack_i && alloc_ok_i) state_d = sqe_q.in_len != 0 ? SCopyRd : SStart;
      SCopyRd:    if (mem_gnt_i) state_d = SCopyWait;
      SCopyWait:  if (mem_rvalid_i) state_d = SCopyWr;
      SCopyWr: begin
        if (mem_gnt_i) begin
          if (left_q > 64)       state_d = SCopyRd;
          else if (cur_retire_q) state_d = SRelease;
          else                   state_d = SStart;
        end
      end
      SStart:     state_d = SIdle;
      SRelease:   if (alloc_ack_i) state_d = SCqe;
      SCqe:       if (mem_gnt_i) state_d = SIdle;
      default:    state_d = SIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= SIdle;
      phase_q      <= '0;
      wait_q       <= '0;
      link_fail_q  <= '0;
      own_q        <= '0;
      done_q       <= '0;
      cur_q_q      <= '0;
      cur_e_q      <= '0;
      cur_run_q    <= 1'b0;
      sqe_q        <= '0;
      cur_idx_q    <= '0;
      cur_slot_q   <= '0;
      cur_status_q <= '0;
      drain_q      <= 1'b0;
      cur_retire_q <= 1'b0;
      src_q        <= '0;
      dst_q        <= '0;
      left_q       <= '0;
      line_q       <= '0;
      ahead_q      <= order_from(0);
      pick_q       <= '0;
      room_q       <= '0;
      room2_q      <= '0;
      grow_q       <= '0;
      infl_q       <= '0;
      q_busy_q     <= '0;
      has_sqe_q    <= '0;
      has_eng_q    <= '0;
      hold_q       <= '0;
      for (int unsigned q = 0; q < NUM_QUEUES; q++) begin
        smask_q[q]    <= '0;
        cmask_q[q]    <= '0;
        qeng_q[q]     <= '0;
        sq_head_q[q]  <= '0;
        cq_tail_q[q]  <= '0;
        inflight_q[q] <= '0;
      end
      for (int unsigned e = 0; e < NUM_ENGINES; e++) begin
        job_q_q[e]     <= '0;
        job_tag_q[e]   <= '0;
        job_oaddr_q[e] <= '0;
        job_olen_q[e]  <= '0;
        job_slot_q[e]  <= '0;
        job_idx_q[e]   <= '0;
        job_link_q[e]  <= 1'b0;
      end
    end else begin
      state_q <= state_d;
      pick_q  <= pick_d;
      room_q  <= room_d;
      room2_q <= room2_d;
      for (int unsigned q = 0; q < NUM_QUEUES; q++) begin
        grow_q[q] <= cur_q_q == QW'(q) &&
                     (state_q == SAlloc || (state_q == SCopyWr && !cur_retire_q) || state_q == SDecide ||
                      state_q == SStart || (state_q == SCqe && !cur_run_q));
        hold_q[q] <= cur_q_q == QW'(q) && (state_q == SCheck || state_q == SDecide);
        infl_q[q] <= inflight_q[q] != 0;
        // (what a new owner of the queue waits for: Q_CTRL busy)
        q_busy_q[q] <= inflight_q[q] != 0 || (state_q != SIdle && cur_q_q == QW'(q));
      end
      has_sqe_q <= has_sqe_d;
      has_eng_q <= has_eng_d;
      for (int unsigned q = 0; q < NUM_QUEUES; q++) begin
        smask_q[q] <= mask16(sq_log2_i[q*4 +: 4]);
        cmask_q[q] <= mask16(cq_log2_i[q*4 +: 4]);
        qeng_q[q]  <= q_engines(q_eng_i[q*16 +: 16]);
        if (start_i[q]) begin
          sq_head_q[q]   <= '0;
          cq_tail_q[q]   <= '0;
          phase_q[q]     <= 1'b1;
          wait_q[q]      <= 1'b0;
          link_fail_q[q] <= 1'b0;
        end
      end
      for (int unsigned e = 0; e < NUM_ENGINES; e++)
        if (eng_done_i[e] && own_q[e]) done_q[e] <= 1'b1;

      unique case (state_q)
        SIdle: begin
          if (any_done) begin
            cur_e_q      <= done_idx;
            cur_q_q      <= job_q_q[done_idx];
            cur_run_q    <= 1'b1;
            cur_retire_q <= 1'b1;
            cur_slot_q   <= job_slot_q[done_idx];
            src_q        <= DataBase + 32'(job_slot_q[done_idx]) * DATA_SLOT_BYTES;
            dst_q        <= job_oaddr_q[done_idx];
            left_q       <= job_olen_q[done_idx];
          end else if (claim) begin
            cur_q_q      <= pick;
            cur_e_q      <= free_idx;
            cur_idx_q    <= sq_head_q[pick];
            cur_run_q    <= 1'b0;
            cur_retire_q <= 1'b0;
            // Claimed now, so a command processor that starts meanwhile waits.
            own_q <= own_q | free_oh;
            ahead_q      <= order_from((32'(pick) + 1) % NUM_QUEUES);
          end
        end
        SFetchWait: if (mem_rvalid_i) sqe_q <= mem_rdata_i;
        // The checks take a clock of their own: registered here, acted on
        // in SDecide (nothing they read changes in between).
        SCheck: begin
          cur_status_q <= check_status;
          drain_q      <= sqe_q.flags[1] && !link_fail_q[cur_q_q] && inflight_q[cur_q_q] != 0;
        end
        SDecide: begin
          if (drain_q) begin
            // Drain: wait for the queue's jobs; the entry is fetched again.
            wait_q[cur_q_q] <= 1'b1;
            own_q[cur_e_q]  <= 1'b0;
          end else begin
            for (int unsigned q = 0; q < NUM_QUEUES; q++)
              if (cur_q_q == QW'(q)) sq_head_q[q] <= sq_head_inc[q];
            wait_q[cur_q_q]    <= sqe_q.flags[0];
            src_q              <= sqe_q.in_addr[31:0];
            left_q             <= sqe_q.in_len;
            if (cur_status_q != 0) begin
              own_q[cur_e_q] <= 1'b0;
              // A failed link cancels the rest of its chain.
              link_fail_q[cur_q_q] <= sqe_q.flags[0];
            end
          end
        end
        SAlloc: begin
          if (alloc_ack_i && alloc_ok_i) begin
            cur_slot_q <= alloc_slot_i;
            dst_q      <= DataBase + 32'(alloc_slot_i) * DATA_SLOT_BYTES;
          end
        end
        SCopyWait: if (mem_rvalid_i) line_q <= mem_rdata_i;
        SCopyWr: begin
          if (mem_gnt_i) begin
            src_q  <= src_q + 32'd64;
            dst_q  <= dst_q + 32'd64;
            left_q <= left_q > 64 ? left_q - 32'd64 : '0;
          end
        end
        SStart: begin
          job_q_q[cur_e_q]     <= cur_q_q;
          job_tag_q[cur_e_q]   <= sqe_q.tag;
          job_oaddr_q[cur_e_q] <= sqe_q.out_addr[31:0];
          job_olen_q[cur_e_q]  <= sqe_q.out_len;
          job_slot_q[cur_e_q]  <= cur_slot_q;
          job_idx_q[cur_e_q]   <= cur_idx_q;
          job_link_q[cur_e_q]  <= sqe_q.flags[0];
          inflight_q[cur_q_q]  <= inflight_q[cur_q_q] + 1'b1;
        end
        SCqe: begin
          if (mem_gnt_i) begin
            for (int unsigned q = 0; q < NUM_QUEUES; q++)
              if (cur_q_q == QW'(q)) begin
                cq_tail_q[q] <= cq_tail_inc[q];
                if (cq_wrap[q]) phase_q[q] <= !phase_q[q];
              end
            if (cur_run_q) begin
              inflight_q[cur_q_q] <= inflight_q[cur_q_q] - 1'b1;
              own_q[cur_e_q]      <= 1'b0;
              done_q[cur_e_q]     <= 1'b0;
              if (job_link_q[cur_e_q] && eng_status != 0) link_fail_q[cur_q_q] <= 1'b1;
            end
          end
        end
        default: ;
      endcase
    end
  end

  // The engine fields are the job being started; hermes_card selects them
  // for engine e while own_o[e].
  always_comb begin
    eng_start_o = '0;
    if (state_q == SStart) eng_start_o[cur_e_q] = 1'b1;
  end
  assign eng_prog_slot_o = sqe_q.prog_slot;
  assign eng_data_slot_o = cur_slot_q;
  assign eng_prog_len_o  = sqe_q.prog_len;
  assign eng_data_len_o  = sqe_q.data_len != 0 ? sqe_q.data_len : sqe_q.in_len;
  assign eng_max_insns_o = sqe_q.budget == 0 ? MAX_INSNS : sqe_q.budget;
  assign own_o           = own_q;
  // A memory answer is due: a card reset waits for it.
  assign busy_o          = state_q == SFetchWait || state_q == SCopyWait;

  assign q_busy_o = q_busy_q;

  for (genvar q = 0; q < NUM_QUEUES; q++) begin : g_q
    assign sq_head_o[q*16 +: 16] = sq_head_q[q];
    assign cq_tail_o[q*16 +: 16] = cq_tail_q[q];
  end
  always_comb begin
    cpl_o = '0;
    if (state_q == SCqe && mem_gnt_i) cpl_o[cur_q_q] = 1'b1;
  end

  logic unused;
  assign unused = ^{sqe_q.rsvd_hi, sqe_q.out_addr[63:32], eng_insns_i, eng_cycles_i, eng_fault_addr_i};

`ifndef SYNTHESIS
  // What the pipelined pick relies on, checked against this clock's values.
  logic [NUM_QUEUES*4-1:0]  cq_log2_prev_q;
  logic [NUM_QUEUES*16-1:0] q_eng_prev_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cq_log2_prev_q <= '0;
      q_eng_prev_q   <= '0;
    end else begin
      cq_log2_prev_q <= cq_log2_i;
      q_eng_prev_q   <= q_eng_i;
    end
  end
  // A claim is one the dispatcher may make from this clock's values alone:
  // the queue enabled, with an entry, not waiting, with credit for one
  // more job and a free engine of its own.
  logic [15:0] chk_occ;
  logic        claim_ok;
  always_comb begin
    chk_occ  = (cq_tail_q[pick] - cq_head_i[32'(pick)*16 +: 16]) & mask16(cq_log2_i[32'(pick)*4 +: 4]);
    claim_ok = $onehot(pick_q) && en_i[pick] && !start_i[pick] &&
               sq_head_q[pick] != sq_tail_i[32'(pick)*16 +: 16] &&
               !(wait_q[pick] && inflight_q[pick] != 0) &&
               17'(chk_occ) + 17'(inflight_q[pick]) < 17'(mask16(cq_log2_i[32'(pick)*4 +: 4])) &&
               (free_eng & q_engines(q_eng_i[32'(pick)*16 +: 16])) != 0;
  end
  always_ff @(posedge clk_i) begin
    // The configuration the registered masks and engines come from holds
    // while the queue is enabled, in the clock it is enabled too.
    for (int unsigned q = 0; q < NUM_QUEUES; q++)
      if (rst_ni && en_i[q]) assert (cq_log2_i[q*4 +: 4] == cq_log2_prev_q[q*4 +: 4] &&
                                     q_eng_i[q*16 +: 16] == q_eng_prev_q[q*16 +: 16])
        else $error("hermes_hwq_disp: queue %0d's configuration changed while it was enabled", q);
    if (rst_ni && state_q == SIdle && claim) assert (claim_ok)
      else $error("hermes_hwq_disp: queue %0d claimed an engine without entry, credit or enable", pick);
  end
`endif

endmodule
