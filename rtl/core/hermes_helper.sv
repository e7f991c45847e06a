// SPDX-License-Identifier: MIT
// Helper calls (call src 0, imm = Linux helper id) of one engine, as
// docs/MAPS.md specifies them.
//
// Ids 5 (ktime_get_ns), 7 (get_prandom_u32) and 8 (get_smp_processor_id)
// answer in the clock the call reaches EX, like an ALU instruction. Ids 1-3
// (map lookup, update, delete) and 6 (trace_printk) are sequenced here once
// the pipeline behind the call has drained (no older instruction in flight,
// no slot access outstanding): the arguments are read from the register
// file (its two read ports, r1-r5 over 3 clocks), then the sequencer makes
// its accesses on the engine's data port (map slot, program and data slots)
// and the engine's stack port, one at a time: a load costs 2 clocks (grant,
// then data), a store 1 (posted). Map helpers hold the card-wide map lock
// (hermes_map_lock) from their descriptor read to their last write, so one
// map operation runs at a time on the card. Until the lock is granted the
// call can still be aborted; from then on the sequence completes (its
// length is bounded by the descriptor: docs/MAPS.md "Clock costs").
//
// Faults: unknown id 8 (address: the id); a map pointer that is not a used
// descriptor's engine address, or a descriptor that breaks the layout
// rules, 9 (address: the map pointer); a key or value range that is not
// readable as a load, 1 (address: the pointer). r1-r5 are not changed.
// A call in the last slot runs off the end (fault 3) when it has no fault
// of its own: with dry_i the sequence makes its checks (and loads) and
// stops before its first store, so the map slot and the trace buffer keep
// what they held.
//
// Run start: the engine's trace record count in the map slot is zeroed by
// a store made once the code copy is over, before any data access.
module hermes_helper #(
  parameter int unsigned NUM_ENGINES     = hermes_pkg::DEFAULT_ENGINES,
  parameter int unsigned ENGINE_ID       = 0,
  parameter int unsigned PROG_SLOT_BYTES = hermes_pkg::DEFAULT_PROG_SLOT_SIZE,
  parameter int unsigned DATA_SLOT_BYTES = hermes_pkg::DEFAULT_DATA_SLOT_SIZE,
  parameter int unsigned MAP_SLOT_BYTES  = hermes_pkg::DEFAULT_MAP_SLOT_SIZE
) (
  input  logic        clk_i,
  input  logic        rst_ni,

  // Run control.
  input  logic        start_i,      // a run starts: trace count to zero
  input  logic        copy_busy_i,  // the code copy owns the data port
  input  logic [31:0] prog_bar4_i,
  input  logic [31:0] data_bar4_i,
  input  logic [31:0] map_bar4_i,   // BAR4 address of the run's map slot
  input  logic [63:0] ktime_i,      // card clocks since card reset

  // The call in EX.
  input  logic        call_i,       // a helper call is in EX with no earlier fault but abort
  input  logic        abort_i,      // the run is being aborted: start nothing
  input  logic [31:0] id_i,         // its imm
  input  logic        drained_i,    // nothing older in flight, port and stack free
  input  logic        dry_i,        // the call is in the last slot: find its faults, change nothing
  input  logic        fire_i,       // the call leaves EX
  input  logic        retire_i,     // ... without a fault
  output logic        done_o,       // result (or fault) ready: EX may fire
  output logic        hold_o,       // inside a sequence that must complete
  output logic [3:0]  cause_o,
  output logic [63:0] fault_addr_o,
  output logic [63:0] result_o,
  output logic        busy_o,       // sequencing or a store pending: owns the data port

  // Register file read ports while the arguments are read.
  output logic        rf_sel_o,
  output logic [3:0]  rf_raddr_a_o,
  output logic [3:0]  rf_raddr_b_o,
  input  logic [63:0] rf_a_i,
  input  logic [63:0] rf_b_i,

  // Data port (BAR4 addresses) and stack read port.
  output logic        mem_req_o,
  output logic        mem_we_o,
  output logic [1:0]  mem_size_o,
  output logic [31:0] mem_addr_o,
  output logic [63:0] mem_wdata_o,
  input  logic        mem_gnt_i,
  input  logic        mem_rvalid_i,
  input  logic [63:0] mem_rdata_i,
  output logic        stk_re_o,
  output logic [11:0] stk_off_o,
  output logic [1:0]  stk_size_o,
  input  logic [63:0] stk_rdata_i,

  // Card-wide map lock.
  output logic        lock_req_o,
  input  logic        lock_gnt_i
);

  localparam logic [63:0] MapBase   = hermes_core_pkg::MAP_BASE;
  localparam logic [31:0] TraceBase = hermes_pkg::MS_TRACE_OFF + hermes_pkg::MS_TRACE_STRIDE * ENGINE_ID;
  localparam logic [63:0] EINVAL    = 64'hFFFF_FFFF_FFFF_FFEA;  // -22
  localparam logic [63:0] ENOENT    = 64'hFFFF_FFFF_FFFF_FFFE;  // -2
  localparam logic [63:0] EEXIST    = 64'hFFFF_FFFF_FFFF_FFEF;  // -17
  localparam logic [63:0] E2BIG     = 64'hFFFF_FFFF_FFFF_FFF9;  // -7
  localparam logic [63:0] ENOSPC    = 64'hFFFF_FFFF_FFFF_FFE4;  // -28
  localparam logic [31:0] TraceRecs = 32'd31;

  typedef enum logic [5:0] {
    S_IDLE, S_ARG0, S_ARG1, S_ARG2, S_MAPCHK, S_LOCK, S_DESC, S_DCHK0, S_DCHK1, S_DCHK2,
    S_AKEY, S_AMUL, S_ARES, S_CPYLD, S_CPYST, S_HKEY, S_HHASH, S_HHOME, S_HOFF, S_HPR0,
    S_PRH, S_PRK, S_HDISP, S_HINSK, S_HINSH, S_HINSF, S_CNT, S_DZERO, S_SHH, S_SHLD,
    S_SHST, S_SHZERO, S_TRACE, S_TRCNT, S_DONE
  } state_e;

  state_e      state_q;
  logic [3:0]  hid_q;               // 1, 2, 3 or 6
  logic [63:0] r1_q, r2_q, r3_q, r4_q, r5_q;
  logic [63:0] res_q, faddr_q;
  logic [3:0]  cause_q;
  logic [31:0] trace_cnt_q;
  logic [31:0] prng_q;

  // Descriptor fields (docs/MAPS.md "Descriptor").
  logic [31:0] d_type_q, d_ks_q, d_vs_q, d_max_q, d_stor_q, d_vstr_q, d_estr_q;
  logic [31:0] d_cap_q, d_log2_q, d_cnt_q, d_copies_q;

  // ---- the one access in flight ----
  logic        op_valid_q, op_we_q, op_stk_q, wait_q, stk_wait_q, clr_pend_q;
  logic [1:0]  op_size_q;
  logic [31:0] op_addr_q;
  logic [63:0] op_wdata_q;
  logic [2:0]  st_pend_q;           // store responses still to pass by
  logic        gnt, st_done, ld_done;
  logic [63:0] ld_data;

  assign mem_req_o   = op_valid_q && !op_stk_q && !wait_q && !copy_busy_i;
  assign mem_we_o    = op_we_q;
  assign mem_size_o  = op_size_q;
  assign mem_addr_o  = op_addr_q;
  assign mem_wdata_o = op_wdata_q;
  assign gnt         = mem_req_o && mem_gnt_i;
  assign st_done     = gnt && op_we_q;
  assign stk_re_o    = op_valid_q && op_stk_q && !stk_wait_q;
  assign stk_off_o   = op_addr_q[11:0];
  assign stk_size_o  = op_size_q;
  assign ld_done     = (wait_q && mem_rvalid_i && st_pend_q == 3'd0) || stk_wait_q;
  assign ld_data     = stk_wait_q ? stk_rdata_i : mem_rdata_i;

  // ---- derived descriptor values ----
  logic        is_hash, is_percpu;
  logic [31:0] kw, kpad, vw, ew, cap_mask, vs_round, ks_round;
  assign is_hash   = d_type_q == 32'd1;
  assign is_percpu = d_type_q == 32'd6;
  assign ks_round  = (d_ks_q + 32'd7) & ~32'd7;
  assign vs_round  = (d_vs_q + 32'd7) & ~32'd7;
  assign kw        = ks_round >> 3;
  assign kpad      = ks_round;
  assign vw        = d_vstr_q >> 3;
  assign ew        = d_estr_q >> 3;
  assign cap_mask  = d_cap_q - 32'd1;

  // ---- pointer ranges: r2 (key) and r3 (value), read like loads ----
  logic        key_ok, val_ok, key_stk, val_stk;
  logic [31:0] key_base, val_base;

  function automatic logic range_ok(input logic [63:0] p, input logic [31:0] n);
    logic [32:0] e;
    e = {5'b0, p[27:0]} + {1'b0, n};
    range_ok = p[63:32] == 32'b0 &&
               ((p[31:28] == hermes_core_pkg::REGION_PROG  && e <= 33'(PROG_SLOT_BYTES)) ||
                (p[31:28] == hermes_core_pkg::REGION_DATA  && e <= 33'(DATA_SLOT_BYTES)) ||
                (p[31:28] == hermes_core_pkg::REGION_STACK && e <= 33'(hermes_core_pkg::STACK_BYTES)) ||
                (p[31:28] == hermes_core_pkg::REGION_MAP   && e <= 33'(MAP_SLOT_BYTES)));
  endfunction

  function automatic logic [31:0] bar4_of(input logic [31:0] p, input logic [31:0] pb,
                                         input logic [31:0] db, input logic [31:0] mb);
    unique case (p[31:28])
      hermes_core_pkg::REGION_PROG: bar4_of = pb + {4'b0, p[27:0]};
      hermes_core_pkg::REGION_DATA: bar4_of = db + {4'b0, p[27:0]};
      hermes_core_pkg::REGION_MAP:  bar4_of = mb + {4'b0, p[27:0]};
      default:                      bar4_of = {4'b0, p[27:0]};  // stack offset
    endcase
  endfunction

  assign key_ok   = range_ok(r2_q, is_hash ? d_ks_q : 32'd4);
  assign val_ok   = range_ok(r3_q, d_vs_q);
  assign key_stk  = r2_q[31:28] == hermes_core_pkg::REGION_STACK;
  assign val_stk  = r3_q[31:28] == hermes_core_pkg::REGION_STACK;
  assign key_base = bar4_of(r2_q[31:0], prog_bar4_i, data_bar4_i, map_bar4_i);
  assign val_base = bar4_of(r3_q[31:0], prog_bar4_i, data_bar4_i, map_bar4_i);

  // Bytes of a word that belong to an n-byte object whose word k this is.
  function automatic logic [63:0] tail_mask(input logic [31:0] n, input logic [28:0] k);
    logic [31:0] rem;
    rem = n - {k, 3'b0};
    if (rem >= 32'd8) tail_mask = '1;
    else              tail_mask = 64'((65'h1 << {rem[2:0], 3'b0}) - 65'h1);
  endfunction

  // ---- the shared multiplier (one clock) ----
  logic [31:0] mul_a, mul_b;
  logic [63:0] prod_q;

  // ---- sequencer state ----
  logic [31:0] k_q;                 // word index
  logic [63:0] x_q;                 // key hash accumulator
  logic [63:0] kbuf_q [8];          // the key, zero padded
  logic [31:0] idx_q, home_q, i_q, eoff_q, probes_q, j_q, joff_q, dst_q;
  logic        hit_q, empty_q, ins_q, bwd_q;
  logic [31:0] desc_bar4, stor_bar4;
  assign desc_bar4 = map_bar4_i + {20'b0, r1_q[11:0]};
  assign stor_bar4 = map_bar4_i + d_stor_q;

  always_comb begin
    unique case (state_q)
      S_DCHK0: begin mul_a = d_cap_q;                 mul_b = is_hash ? d_estr_q : d_vstr_q; end
      S_DCHK1: begin mul_a = prod_q[31:0];            mul_b = d_copies_q; end
      S_AMUL:  begin mul_a = (is_percpu ? 32'(ENGINE_ID) * d_cap_q : 32'd0) + idx_q;
                     mul_b = d_vstr_q; end
      S_HHASH: begin mul_a = x_q[31:0] ^ x_q[63:32];  mul_b = 32'h9E37_79B1; end
      S_HOFF:  begin mul_a = home_q;                  mul_b = d_estr_q; end
      default: begin mul_a = '0;                      mul_b = '0; end
    endcase
  end

  // Descriptor check (docs/MAPS.md): prod_q is the storage size in S_DCHK2.
  logic desc_ok, size_big_q;
  logic [33:0] max2;
  assign max2 = {1'b0, d_max_q, 1'b0};
  always_comb begin
    desc_ok = d_vs_q >= 32'd1 && d_vs_q <= 32'd32768 && d_vstr_q == vs_round &&
              d_stor_q[2:0] == 3'b0 && d_stor_q >= hermes_pkg::MS_STORAGE_OFF &&
              d_max_q != 32'd0 && !size_big_q && prod_q[63:32] == 32'b0 &&
              {1'b0, d_stor_q} + {1'b0, prod_q[31:0]} <= 33'(MAP_SLOT_BYTES);
    if (is_hash) begin
      desc_ok = desc_ok && d_ks_q >= 32'd1 && d_ks_q <= 32'd64 &&
                d_estr_q == 32'd8 + ks_round + d_vstr_q &&
                d_log2_q >= 32'd1 && d_log2_q <= 32'd31 && d_cap_q == 32'd1 << d_log2_q[4:0] &&
                {2'b0, d_cap_q} >= max2 && (d_cap_q == 32'd2 || {2'b0, d_cap_q} < {max2[32:0], 1'b0}) &&
                d_cnt_q <= d_max_q && d_copies_q == 32'd1;
    end else if (d_type_q == 32'd2 || is_percpu) begin
      desc_ok = desc_ok && d_ks_q == 32'd4 && d_estr_q == d_vstr_q && d_cap_q == d_max_q &&
                d_log2_q == 32'd0 && d_cnt_q == 32'd0 &&
                d_copies_q == (is_percpu ? 32'(NUM_ENGINES) : 32'd1);
    end else begin
      desc_ok = 1'b0;
    end
  end

  // The next table position after i (its entry offset joins it).
  function automatic logic [31:0] next_i(input logic [31:0] i, input logic [31:0] m);
    next_i = (i + 32'd1) & m;
  endfunction
  logic [31:0] i_nx, eoff_nx, j_nx, joff_nx;
  assign i_nx    = next_i(i_q, cap_mask);
  assign eoff_nx = (i_nx == 32'd0) ? 32'd0 : eoff_q + d_estr_q;
  assign j_nx    = next_i(j_q, cap_mask);
  assign joff_nx = (j_nx == 32'd0) ? 32'd0 : joff_q + d_estr_q;

  // Backward-shift delete: entry j with home h stays when h lies
  // cyclically in (i, j].
  logic [31:0] sh_home;
  logic        sh_stays;
  assign sh_home  = ld_data[63:32];
  assign sh_stays = (i_q <= j_q) ? (sh_home > i_q && sh_home <= j_q)
                                 : (sh_home > i_q || sh_home <= j_q);

  logic [63:0] key_word, val_word;
  assign key_word = ld_data & tail_mask(d_ks_q, k_q[28:0]);
  assign val_word = ld_data & tail_mask(d_vs_q, cw[28:0]);

  // The value copy reads the value as it was when the call began, also
  // when r3 points into the map slot where it is written: upwards when the
  // destination lies below the source, downwards (bwd_q) when above. cw is
  // the word copied now, cw_nx the next one.
  logic [31:0] cw, cw_nx, a_dst, h_dst;
  logic        a_bwd, h_bwd;
  assign cw    = bwd_q ? vw - 32'd1 - k_q : k_q;
  assign cw_nx = bwd_q ? vw - 32'd2 - k_q : k_q + 32'd1;
  assign a_dst = stor_bar4 + prod_q[31:0];
  assign h_dst = stor_bar4 + eoff_q + 32'd8 + kpad;
  assign a_bwd = r3_q[31:28] == hermes_core_pkg::REGION_MAP && val_base < a_dst;
  assign h_bwd = r3_q[31:28] == hermes_core_pkg::REGION_MAP && val_base < h_dst;

  logic is_map_id;
  assign is_map_id = id_i == 32'd1 || id_i == 32'd2 || id_i == 32'd3;

  // ---- the fast helpers ----
  logic        fast, unknown;
  logic [63:0] fast_res;
  logic [31:0] prng_nx;
  always_comb begin
    prng_nx = prng_q ^ (prng_q << 13);
    prng_nx = prng_nx ^ (prng_nx >> 17);
    prng_nx = prng_nx ^ (prng_nx << 5);
  end
  assign fast    = id_i == 32'd5 || id_i == 32'd7 || id_i == 32'd8;
  assign unknown = !fast && !is_map_id && id_i != 32'd6;
  always_comb begin
    unique case (id_i[3:0])
      4'd5:    fast_res = {ktime_i[61:0], 2'b0};
      4'd7:    fast_res = {32'b0, prng_nx};
      default: fast_res = 64'(ENGINE_ID);
    endcase
  end

  assign done_o       = call_i && (fast || unknown || state_q == S_DONE);
  logic pre_seq;  // nothing done yet that must be finished
  assign pre_seq      = state_q == S_IDLE || state_q == S_ARG0 || state_q == S_ARG1 ||
                        state_q == S_ARG2 || state_q == S_MAPCHK || state_q == S_LOCK;
  assign hold_o       = !pre_seq;
  assign cause_o      = unknown ? hermes_core_pkg::FAULT_HELPER : (fast ? 4'd0 : cause_q);
  assign fault_addr_o = unknown ? {32'b0, id_i} : faddr_q;
  assign result_o     = fast ? fast_res : res_q;
  assign busy_o       = state_q != S_IDLE || op_valid_q || wait_q || stk_wait_q || clr_pend_q;
  assign lock_req_o   = hid_q != 4'd6 && state_q != S_IDLE && state_q != S_DONE;

  assign rf_sel_o     = state_q == S_ARG0 || state_q == S_ARG1 || state_q == S_ARG2;
  assign rf_raddr_a_o = state_q == S_ARG0 ? 4'd1 : state_q == S_ARG1 ? 4'd3 : 4'd5;
  assign rf_raddr_b_o = state_q == S_ARG0 ? 4'd2 : 4'd4;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      prng_q <= 32'h9E37_79B9 * 32'(ENGINE_ID + 1);
    end else if (fire_i && retire_i && id_i == 32'd7) begin
      prng_q <= prng_nx;
    end
  end

  // Sequencer. An access is started by setting op_*; a store is done at
  // its grant, a load when its data arrives (ld_done, ld_data).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q     <= S_IDLE;
      hid_q       <= '0;
      r1_q        <= '0;
      r2_q        <= '0;
      r3_q        <= '0;
      r4_q        <= '0;
      r5_q        <= '0;
      res_q       <= '0;
      faddr_q     <= '0;
      cause_q     <= '0;
      trace_cnt_q <= '0;
      op_valid_q  <= 1'b0;
      op_we_q     <= 1'b0;
      op_stk_q    <= 1'b0;
      op_size_q   <= 2'd3;
      op_addr_q   <= '0;
      op_wdata_q  <= '0;
      wait_q      <= 1'b0;
      stk_wait_q  <= 1'b0;
      st_pend_q   <= '0;
      clr_pend_q  <= 1'b0;
      prod_q      <= '0;
      size_big_q  <= 1'b0;
      k_q         <= '0;
      x_q         <= '0;
      for (int unsigned w = 0; w < 8; w++) kbuf_q[w] <= '0;
      idx_q       <= '0;
      home_q      <= '0;
      i_q         <= '0;
      eoff_q      <= '0;
      probes_q    <= '0;
      j_q         <= '0;
      joff_q      <= '0;
      dst_q       <= '0;
      hit_q       <= 1'b0;
      empty_q     <= 1'b0;
      ins_q       <= 1'b0;
      bwd_q       <= 1'b0;
      d_type_q    <= '0;
      d_ks_q      <= '0;
      d_vs_q      <= '0;
      d_max_q     <= '0;
      d_stor_q    <= '0;
      d_vstr_q    <= '0;
      d_estr_q    <= '0;
      d_cap_q     <= '0;
      d_log2_q    <= '0;
      d_cnt_q     <= '0;
      d_copies_q  <= '0;
    end else begin
      prod_q <= 64'(mul_a) * 64'(mul_b);

      // The access machinery.
      st_pend_q <= st_pend_q + (st_done ? 3'd1 : 3'd0) -
                   ((mem_rvalid_i && st_pend_q != 3'd0) ? 3'd1 : 3'd0);
      if (gnt) begin
        op_valid_q <= 1'b0;
        wait_q     <= !op_we_q;
      end
      if (wait_q && mem_rvalid_i && st_pend_q == 3'd0) wait_q <= 1'b0;
      stk_wait_q <= stk_re_o;
      if (stk_re_o) op_valid_q <= 1'b0;

      if (clr_pend_q && st_done) clr_pend_q <= 1'b0;
      if (start_i) begin
        trace_cnt_q <= '0;
        clr_pend_q  <= 1'b1;
      end

      unique case (state_q)
        S_IDLE: begin
          if (clr_pend_q && !op_valid_q && !start_i) begin
            // Run Program: this engine's trace record count to zero.
            op_valid_q <= 1'b1;
            op_we_q    <= 1'b1;
            op_stk_q   <= 1'b0;
            op_size_q  <= 2'd2;
            op_addr_q  <= map_bar4_i + TraceBase;
            op_wdata_q <= '0;
          end
          if (call_i && !abort_i && drained_i && !clr_pend_q && !fast && !unknown) begin
            hid_q   <= id_i[3:0];
            cause_q <= '0;
            faddr_q <= '0;
            res_q   <= '0;
            state_q <= S_ARG0;
          end
        end

        S_ARG0: begin
          r1_q    <= rf_a_i;
          r2_q    <= rf_b_i;
          state_q <= S_ARG1;
        end
        S_ARG1: begin
          r3_q    <= rf_a_i;
          r4_q    <= rf_b_i;
          state_q <= (hid_q == 4'd6) ? S_ARG2 : S_MAPCHK;
        end
        S_ARG2: begin
          r5_q    <= rf_a_i;
          state_q <= S_TRACE;
          k_q     <= '0;
          if (dry_i) begin
            state_q <= S_DONE;
          end else if (trace_cnt_q < TraceRecs) begin
            op_valid_q <= 1'b1;
            op_we_q    <= 1'b1;
            op_stk_q   <= 1'b0;
            op_size_q  <= 2'd3;
            op_addr_q  <= map_bar4_i + TraceBase + 32'd64 + {trace_cnt_q[25:0], 6'b0};
            op_wdata_q <= r1_q;
          end else begin
            state_q <= S_TRCNT;
            res_q   <= ENOSPC;
            op_valid_q <= 1'b1;
            op_we_q    <= 1'b1;
            op_stk_q   <= 1'b0;
            op_size_q  <= 2'd2;
            op_addr_q  <= map_bar4_i + TraceBase;
            op_wdata_q <= {32'b0, trace_cnt_q + 32'd1};
          end
        end

        // ---- trace_printk: 5 words of the record, then the count ----
        S_TRACE: begin
          if (st_done) begin
            k_q        <= k_q + 32'd1;
            op_valid_q <= 1'b1;
            op_addr_q  <= op_addr_q + 32'd8;
            unique case (k_q[2:0])
              3'd0:    op_wdata_q <= {32'b0, r2_q[31:0]};
              3'd1:    op_wdata_q <= r3_q;
              3'd2:    op_wdata_q <= r4_q;
              3'd3:    op_wdata_q <= r5_q;
              default: begin
                op_size_q  <= 2'd2;
                op_addr_q  <= map_bar4_i + TraceBase;
                op_wdata_q <= {32'b0, trace_cnt_q + 32'd1};
                state_q    <= S_TRCNT;
              end
            endcase
          end
        end
        S_TRCNT: begin
          if (st_done) begin
            trace_cnt_q <= trace_cnt_q + 32'd1;
            state_q     <= S_DONE;
          end
        end

        // ---- map helpers: pointer, lock, descriptor ----
        S_MAPCHK: begin
          if (r1_q[63:12] != {32'b0, 20'h40000} || r1_q[5:0] != 6'b0) begin
            cause_q <= hermes_core_pkg::FAULT_BAD_ARG;
            faddr_q <= r1_q;
            state_q <= S_DONE;
          end else begin
            state_q <= S_LOCK;
          end
        end
        S_LOCK: begin
          if (lock_gnt_i) begin
            k_q        <= '0;
            op_valid_q <= 1'b1;
            op_we_q    <= 1'b0;
            op_stk_q   <= 1'b0;
            op_size_q  <= 2'd3;
            op_addr_q  <= desc_bar4;
            state_q    <= S_DESC;
          end
        end
        S_DESC: begin
          if (ld_done) begin
            unique case (k_q[2:0])
              3'd0: begin d_type_q <= ld_data[31:0]; d_ks_q   <= ld_data[63:32]; end
              3'd1: begin d_vs_q   <= ld_data[31:0]; d_max_q  <= ld_data[63:32]; end
              3'd2: begin d_stor_q <= ld_data[31:0]; d_vstr_q <= ld_data[63:32]; end
              3'd3: begin d_estr_q <= ld_data[31:0]; d_cap_q  <= ld_data[63:32]; end
              3'd4: begin d_log2_q <= ld_data[31:0]; d_cnt_q  <= ld_data[63:32]; end
              default: d_copies_q <= ld_data[31:0];
            endcase
            k_q <= k_q + 32'd1;
            if (k_q == 32'd5) begin
              state_q <= S_DCHK0;
            end else begin
              op_valid_q <= 1'b1;
              op_addr_q  <= op_addr_q + 32'd8;
            end
          end
        end
        S_DCHK0: state_q <= S_DCHK1;
        S_DCHK1: begin
          size_big_q <= prod_q[63:32] != 32'b0;
          state_q    <= S_DCHK2;
        end
        S_DCHK2: begin
          k_q <= '0;
          if (!desc_ok) begin
            cause_q <= hermes_core_pkg::FAULT_BAD_ARG;
            faddr_q <= r1_q;
            state_q <= S_DONE;
          end else if (hid_q == 4'd2 && (is_hash ? r4_q > 64'd2 : (r4_q & ~64'd4) > 64'd2)) begin
            // Linux's order: arrays tolerate BPF_F_LOCK (4) until after the
            // index and NOEXIST checks, hashes take only 0, 1 and 2.
            res_q   <= EINVAL;
            state_q <= S_DONE;
          end else if (!is_hash && hid_q == 4'd3) begin
            res_q   <= EINVAL;
            state_q <= S_DONE;
          end else if (!key_ok) begin
            cause_q <= hermes_core_pkg::FAULT_LOAD;
            faddr_q <= r2_q;
            state_q <= S_DONE;
          end else begin
            op_valid_q <= 1'b1;
            op_we_q    <= 1'b0;
            op_stk_q   <= key_stk;
            op_size_q  <= is_hash ? 2'd3 : 2'd2;
            op_addr_q  <= key_base;
            x_q        <= {32'b0, d_ks_q};
            state_q    <= is_hash ? S_HKEY : S_AKEY;
          end
        end

        // ---- ARRAY and PERCPU_ARRAY ----
        S_AKEY: begin
          if (ld_done) begin
            idx_q   <= ld_data[31:0];
            state_q <= S_AMUL;
          end
        end
        S_AMUL: state_q <= S_ARES;
        S_ARES: begin
          if (hid_q == 4'd1) begin
            res_q   <= (idx_q >= d_max_q) ? 64'd0 : MapBase + {32'b0, d_stor_q + prod_q[31:0]};
            state_q <= S_DONE;
          end else if (idx_q >= d_max_q) begin
            res_q   <= E2BIG;
            state_q <= S_DONE;
          end else if (r4_q[0]) begin
            res_q   <= EEXIST;
            state_q <= S_DONE;
          end else if (r4_q[2]) begin
            res_q   <= EINVAL;  // BPF_F_LOCK: no spin locks in Hermes values
            state_q <= S_DONE;
          end else if (!val_ok) begin
            cause_q <= hermes_core_pkg::FAULT_LOAD;
            faddr_q <= r3_q;
            state_q <= S_DONE;
          end else if (dry_i) begin
            state_q <= S_DONE;
          end else begin
            dst_q      <= a_dst;
            ins_q      <= 1'b0;
            bwd_q      <= a_bwd;
            k_q        <= '0;
            op_valid_q <= 1'b1;
            op_we_q    <= 1'b0;
            op_stk_q   <= val_stk;
            op_size_q  <= 2'd3;
            op_addr_q  <= val_base + (a_bwd ? (vw - 32'd1) << 3 : 32'd0);
            state_q    <= S_CPYLD;
          end
        end

        // ---- value copy: value_stride bytes from r3 to dst_q, zero padded ----
        // (word cw of value_stride / 8; for an insert, the key, home and
        // flags follow)
        S_CPYLD: begin
          if (ld_done) begin
            op_valid_q <= 1'b1;
            op_we_q    <= 1'b1;
            op_stk_q   <= 1'b0;
            op_size_q  <= 2'd3;
            op_addr_q  <= dst_q + {cw[28:0], 3'b0};
            op_wdata_q <= val_word;
            state_q    <= S_CPYST;
          end
        end
        S_CPYST: begin
          if (st_done) begin
            k_q <= k_q + 32'd1;
            if (k_q + 32'd1 == vw) begin
              if (ins_q) begin
                k_q        <= '0;
                op_valid_q <= 1'b1;
                op_addr_q  <= stor_bar4 + eoff_q + 32'd8;
                op_wdata_q <= kbuf_q[0];
                state_q    <= S_HINSK;
              end else begin
                state_q <= S_DONE;
              end
            end else begin
              op_valid_q <= 1'b1;
              op_we_q    <= 1'b0;
              op_stk_q   <= val_stk;
              op_addr_q  <= val_base + {cw_nx[28:0], 3'b0};
              state_q    <= S_CPYLD;
            end
          end
        end

        // ---- HASH: key and hash ----
        S_HKEY: begin
          if (ld_done) begin
            kbuf_q[k_q[2:0]] <= key_word;
            x_q <= {x_q[40:0], x_q[63:41]} ^ key_word;
            k_q <= k_q + 32'd1;
            if (k_q + 32'd1 == kw) begin
              state_q <= S_HHASH;
            end else begin
              op_valid_q <= 1'b1;
              op_addr_q  <= op_addr_q + 32'd8;
            end
          end
        end
        S_HHASH: state_q <= S_HHOME;
        S_HHOME: begin
          home_q  <= prod_q[31:0] >> (6'd32 - {1'b0, d_log2_q[4:0]});
          state_q <= S_HOFF;
        end
        S_HOFF: state_q <= S_HPR0;
        S_HPR0: begin
          i_q        <= home_q;
          eoff_q     <= prod_q[31:0];
          probes_q   <= '0;
          hit_q      <= 1'b0;
          empty_q    <= 1'b0;
          op_valid_q <= 1'b1;
          op_we_q    <= 1'b0;
          op_stk_q   <= 1'b0;
          op_size_q  <= 2'd3;
          op_addr_q  <= stor_bar4 + prod_q[31:0];
          state_q    <= S_PRH;
        end
        // Probe: the entry's flags and home, then its key words.
        S_PRH: begin
          if (ld_done) begin
            k_q <= '0;
            if (!ld_data[0]) begin
              empty_q <= 1'b1;
              state_q <= S_HDISP;
            end else begin
              op_valid_q <= 1'b1;
              op_addr_q  <= stor_bar4 + eoff_q + 32'd8;
              state_q    <= S_PRK;
            end
          end
        end
        S_PRK: begin
          if (ld_done) begin
            k_q <= k_q + 32'd1;
            if (ld_data != kbuf_q[k_q[2:0]]) begin
              probes_q <= probes_q + 32'd1;
              if (probes_q + 32'd1 == d_cap_q) begin
                state_q <= S_HDISP;  // every entry full: not found, nowhere to insert
              end else begin
                i_q        <= i_nx;
                eoff_q     <= eoff_nx;
                op_valid_q <= 1'b1;
                op_addr_q  <= stor_bar4 + eoff_nx;
                state_q    <= S_PRH;
              end
            end else if (k_q + 32'd1 == kw) begin
              hit_q   <= 1'b1;
              state_q <= S_HDISP;
            end else begin
              op_valid_q <= 1'b1;
              op_addr_q  <= op_addr_q + 32'd8;
            end
          end
        end
        S_HDISP: begin
          k_q <= '0;
          if (hid_q == 4'd1) begin
            res_q   <= hit_q ? MapBase + {32'b0, d_stor_q + eoff_q + 32'd8 + kpad} : 64'd0;
            state_q <= S_DONE;
          end else if (hid_q == 4'd3) begin
            if (!hit_q) begin
              res_q   <= ENOENT;
              state_q <= S_DONE;
            end else if (dry_i) begin
              state_q <= S_DONE;
            end else begin
              // Empty entry i, then shift the entries after it back.
              op_valid_q <= 1'b1;
              op_we_q    <= 1'b1;
              op_size_q  <= 2'd3;
              op_addr_q  <= stor_bar4 + eoff_q;
              op_wdata_q <= '0;
              probes_q   <= '0;
              state_q    <= S_DZERO;
            end
          end else if (hit_q && r4_q == 64'd1) begin
            res_q   <= EEXIST;
            state_q <= S_DONE;
          end else if (!hit_q && r4_q == 64'd2) begin
            res_q   <= ENOENT;
            state_q <= S_DONE;
          end else if (!hit_q && d_cnt_q >= d_max_q) begin
            res_q   <= E2BIG;
            state_q <= S_DONE;
          end else if (!hit_q && !empty_q) begin
            cause_q <= hermes_core_pkg::FAULT_BAD_ARG;  // no free entry: a corrupt table
            faddr_q <= r1_q;
            state_q <= S_DONE;
          end else if (!val_ok) begin
            cause_q <= hermes_core_pkg::FAULT_LOAD;
            faddr_q <= r3_q;
            state_q <= S_DONE;
          end else if (dry_i) begin
            state_q <= S_DONE;
          end else begin
            // The value into the entry found, or, to insert, into the free
            // entry the probe ended on, followed there by key, home, flags.
            dst_q      <= h_dst;
            ins_q      <= !hit_q;
            bwd_q      <= h_bwd;
            op_valid_q <= 1'b1;
            op_we_q    <= 1'b0;
            op_stk_q   <= val_stk;
            op_size_q  <= 2'd3;
            op_addr_q  <= val_base + (h_bwd ? (vw - 32'd1) << 3 : 32'd0);
            state_q    <= S_CPYLD;
          end
        end
        S_HINSK: begin
          if (st_done) begin
            k_q <= k_q + 32'd1;
            if (k_q + 32'd1 == kw) begin
              op_valid_q <= 1'b1;
              op_size_q  <= 2'd2;
              op_addr_q  <= stor_bar4 + eoff_q + 32'd4;
              op_wdata_q <= {32'b0, home_q};
              state_q    <= S_HINSH;
            end else begin
              op_valid_q <= 1'b1;
              op_addr_q  <= op_addr_q + 32'd8;
              op_wdata_q <= kbuf_q[k_q[2:0] + 3'd1];
            end
          end
        end
        S_HINSH: begin
          if (st_done) begin
            op_valid_q <= 1'b1;
            op_addr_q  <= stor_bar4 + eoff_q;
            op_wdata_q <= 64'd1;
            state_q    <= S_HINSF;
          end
        end
        S_HINSF: begin
          if (st_done) begin
            op_valid_q <= 1'b1;
            op_size_q  <= 2'd2;
            op_addr_q  <= desc_bar4 + 32'd36;
            op_wdata_q <= {32'b0, d_cnt_q + 32'd1};
            state_q    <= S_CNT;
          end
        end
        S_CNT: begin
          if (st_done) state_q <= S_DONE;
        end

        // ---- HASH delete: zero entry i, then the backward shift ----
        S_DZERO: begin
          if (st_done) begin
            k_q <= k_q + 32'd1;
            if (k_q + 32'd1 == ew) begin
              j_q        <= i_nx;
              joff_q     <= eoff_nx;
              op_valid_q <= 1'b1;
              op_we_q    <= 1'b0;
              op_addr_q  <= stor_bar4 + eoff_nx;
              state_q    <= S_SHH;
            end else begin
              op_valid_q <= 1'b1;
              op_addr_q  <= op_addr_q + 32'd8;
            end
          end
        end
        S_SHH: begin
          if (ld_done) begin
            k_q      <= '0;
            probes_q <= probes_q + 32'd1;
            if (!ld_data[0] || probes_q + 32'd1 >= d_cap_q) begin
              op_valid_q <= 1'b1;
              op_we_q    <= 1'b1;
              op_size_q  <= 2'd2;
              op_addr_q  <= desc_bar4 + 32'd36;
              op_wdata_q <= {32'b0, d_cnt_q - 32'd1};
              state_q    <= S_CNT;
            end else if (sh_stays) begin
              j_q        <= j_nx;
              joff_q     <= joff_nx;
              op_valid_q <= 1'b1;
              op_addr_q  <= stor_bar4 + joff_nx;
            end else begin
              // Move entry j to i: its first word (flags, home) is this one.
              op_valid_q <= 1'b1;
              op_we_q    <= 1'b1;
              op_addr_q  <= stor_bar4 + eoff_q;
              op_wdata_q <= ld_data;
              state_q    <= S_SHST;
            end
          end
        end
        S_SHLD: begin
          if (ld_done) begin
            op_valid_q <= 1'b1;
            op_we_q    <= 1'b1;
            op_addr_q  <= stor_bar4 + eoff_q + {k_q[28:0], 3'b0};
            op_wdata_q <= ld_data;
            state_q    <= S_SHST;
          end
        end
        S_SHST: begin
          if (st_done) begin
            k_q <= k_q + 32'd1;
            op_valid_q <= 1'b1;
            if (k_q + 32'd1 == ew) begin
              // Entry j moved: empty it, it becomes the new i.
              k_q        <= '0;
              op_we_q    <= 1'b1;
              op_addr_q  <= stor_bar4 + joff_q;
              op_wdata_q <= '0;
              state_q    <= S_SHZERO;
            end else begin
              op_we_q   <= 1'b0;
              op_addr_q <= stor_bar4 + joff_q + {k_q[28:0] + 29'd1, 3'b0};
              state_q   <= S_SHLD;
            end
          end
        end
        S_SHZERO: begin
          if (st_done) begin
            k_q <= k_q + 32'd1;
            op_valid_q <= 1'b1;
            if (k_q + 32'd1 == ew) begin
              i_q        <= j_q;
              eoff_q     <= joff_q;
              j_q        <= j_nx;
              joff_q     <= joff_nx;
              op_we_q    <= 1'b0;
              op_addr_q  <= stor_bar4 + joff_nx;
              state_q    <= S_SHH;
            end else begin
              op_addr_q <= op_addr_q + 32'd8;
            end
          end
        end

        S_DONE: ;
        default: state_q <= S_IDLE;
      endcase

      // The call leaves EX (done, or faulted before the sequence began).
      if (fire_i && state_q != S_IDLE) state_q <= S_IDLE;
    end
  end

  logic unused;
  assign unused = ^{ktime_i[63:62], cw[31:29], cw_nx[31:29]};  // word indexes fit 29 bits

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      // The sequence is left only when done, or before it holds anything.
      assert (!(fire_i && hold_o && state_q != S_DONE))
        else $error("hermes_helper: call left EX inside a sequence");
      // One access at a time.
      assert (!(op_valid_q && wait_q)) else $error("hermes_helper: access issued while one waits");
      assert (st_pend_q <= 3'd2) else $error("hermes_helper: store responses lost");
      // The lock is used only while it is held.
      assert (!(hold_o && lock_req_o && state_q != S_DONE) || lock_gnt_i)
        else $error("hermes_helper: map access without the lock");
    end
  end
`endif

endmodule
