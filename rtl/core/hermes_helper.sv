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
  localparam logic [31:0] SlotBytes = 32'(MAP_SLOT_BYTES);

  typedef enum logic [5:0] {
    S_IDLE, S_ARG0, S_ARG1, S_ARG2, S_MAPCHK, S_LOCK, S_DESC, S_DCHK0, S_DCHK1, S_DCHK2,
    S_AKEY, S_AMUL, S_ARES, S_CPYLD, S_CPYST, S_HKEY, S_HHASH, S_HHOME, S_HOFF, S_HPR0,
    S_PRH, S_PRK, S_HDISP, S_HINSK, S_HINSH, S_HINSF, S_CNT, S_DZERO, S_SHH, S_SHLD,
    S_SHST, S_SHZERO, S_SHD, S_TRACE, S_TRCNT, S_DONE
  } state_e;

  // How a step that checks ends: an error or fault ends the call, a go-on
  // starts the step's accesses. Decided a clock ahead from registers that
  // hold still (oa_q, od_q, oh_*_q), so that no chain of checks lies in
  // front of the sequencer's registers.
  typedef enum logic [3:0] {
    O_DONE, O_PTR, O_EINVAL, O_EEXIST, O_ENOENT, O_E2BIG, O_BADMAP, O_BADKEY, O_BADVAL, O_GO
  } out_e;

  (* fsm_encoding = "one-hot" *)  // yosys: decoded states, no compare chains
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

  // ---- sequencer state ----
  logic [2:0]  k_q;                 // descriptor, trace or key word
  logic [15:0] rem_q;               // words left after this one (value, entry)
  logic        rz_q;                // rem_q = 0, kept beside it: no compare
                                    // (nor borrow) in front of a decision
  logic [63:0] x_q;                 // key hash accumulator
  logic [63:0] kbuf_q [8];          // the key, zero padded
  logic [31:0] idx_q, home_q, i_q, j_q, probes_q;
  logic [31:0] ea_q, ja_q;          // BAR4 addresses of entries i and j
  logic [31:0] sp_q, dp_q;          // source and destination of a word copy
  logic        hit_q, empty_q, ins_q, bwd_q, first_q;
  logic        occ_q, stays_q;      // entry j occupied, staying (S_SHD)
  logic [63:0] prod_q;              // the shared multiplier (one clock)
  logic        size_big_q;

  // ---- values derived from registers, registered ----
  // Each is a function of registers that hold still while the sequence
  // uses it, registered every clock so that wide adds and compares stay
  // off the sequencer's decisions and no carry chain follows another. It
  // trails its sources by one clock per stage (the (*n) ones: n stages),
  // which is never late: a load answers at the earliest two clocks after
  // the state that set it up, and every source below settles before the
  // load that precedes its use (the assertions at the end check it).
  logic        is_hash_q, is_percpu_q, is_array_q;
  logic [2:0]  kwm1_q;              // key words - 1 (a hash key has at most 8)
  logic [31:0] ek_q;                // 8 + padded key: an entry's value offset
  logic [31:0] vsm8_q;              // value_stride - 8: the value's last word
  logic [31:0] ekl_q;               // ek_q + vsm8_q (*2)
  logic [15:0] vwm1_q, ewm1_q;      // words of a value, of an entry, - 1
  logic        vw1_q, ew1_q;        // ... are 1
  logic [31:0] capm_q;              // the last table position
  logic [5:0]  hsh_q;               // 32 - log2_capacity
  logic [31:0] stor_q;              // BAR4 address of the map's storage
  logic [31:0] stv_q;               // ... + vsm8_q (*2)
  logic [31:0] poff_q;              // ek_q - map slot: entry address to value offset (*2)
  logic [31:0] desc_q, cnt_addr_q;  // BAR4 addresses of the descriptor, its count
  logic [31:0] trc_q, trec_q;       // ... of the trace count, of the next record (*2)
  logic        trfull_q;            // the trace buffer is full
  logic [31:0] tcnt1_q;             // trace records + 1
  logic [32:0] ke_q, ve_q;          // ends of the key and value ranges
  logic        key_ok_q, val_ok_q;  // r2, r3 readable (*2, *3 with is_hash_q)
  logic [31:0] key_base_q, val_base_q;
  logic [31:0] vbl_q;               // the value's last word (*2)
  logic [31:0] vmst_q;              // val_base - storage (*2)
  logic        vlts_q;              // val_base < storage (*2)
  logic [31:0] room_q;              // map slot bytes from the storage on
  // Descriptor checks (docs/MAPS.md), one register each, then together.
  logic        c_vs_q, c_vstr_q, c_stor_q, c_max_q, c_ks_q, c_est_q, c_log_q, c_cap_q;
  logic        c_capmax_q, c_cnt_q, c_cp1_q, c_arr_q;
  logic        dck_q;               // (*2): all but the storage size
  logic        szok_q;              // the storage size fits (S_DCHK1)
  logic        bad_flags_q, r4_is1_q, r4_is2_q, cnt_full_q, idx_big_q;
  logic [63:0] kcur_q;              // key word k
  logic        kl_q;                // k is the key's last word
  logic [31:0] hdst_q, hdstl_q;     // entry i's value, its last word
  logic        h_bwd_q;             // (*2)
  logic [63:0] res_hit_q;           // engine address of entry i's value
  logic        ij_le_q, last_pr_q;
  logic        i_wrap_q, j_wrap_q;  // i, j are the table's last position
  logic [31:0] ea_nx_q, ja_nx_q;    // the next position's entry
  out_e        od_q;                // S_DCHK2 with a good descriptor
  out_e        oa_q;                // S_ARES update, index in range
  out_e        oh_hit_q, oh_emp_q, oh_full_q;  // S_HDISP: a hit, a miss on an
                                    // empty entry, a miss in a full table

  // The engine address of map slot offset x (x < MAP_SLOT_BYTES: a
  // checked descriptor's storage lies in the slot), without a carry chain
  // when the slot is small enough.
  function automatic logic [63:0] map_ptr(input logic [31:0] x);
    if (64'(MAP_SLOT_BYTES) <= 64'h4000_0000) map_ptr = MapBase | {34'b0, x[29:0]};
    else                                      map_ptr = MapBase + {32'b0, x};
  endfunction

  // x rounded up to a multiple of 8.
  function automatic logic [31:0] round8(input logic [31:0] x);
    round8 = (x + 32'd7) & ~32'd7;
  endfunction
  // Bits 6:3 of round8(x) (x: bits 6:0): words of a key of at most 64 bytes.
  function automatic logic [3:0] ks6_3(input logic [6:0] x);
    ks6_3 = 4'((x + 7'd7) >> 3);
  endfunction

  // ---- pointer ranges: r2 (key) and r3 (value), read like loads ----
  // e: the range's end within its region (registered).
  function automatic logic range_ok(input logic [31:0] hi, input logic [3:0] rgn, input logic [32:0] e);
    range_ok = hi == 32'b0 &&
               ((rgn == hermes_core_pkg::REGION_PROG  && e <= 33'(PROG_SLOT_BYTES)) ||
                (rgn == hermes_core_pkg::REGION_DATA  && e <= 33'(DATA_SLOT_BYTES)) ||
                (rgn == hermes_core_pkg::REGION_STACK && e <= 33'(hermes_core_pkg::STACK_BYTES)) ||
                (rgn == hermes_core_pkg::REGION_MAP   && e <= 33'(MAP_SLOT_BYTES)));
  endfunction

  // One adder: the region's base, then the offset.
  function automatic logic [31:0] bar4_of(input logic [31:0] p, input logic [31:0] pb,
                                         input logic [31:0] db, input logic [31:0] mb);
    logic [31:0] base;
    unique case (p[31:28])
      hermes_core_pkg::REGION_PROG: base = pb;
      hermes_core_pkg::REGION_DATA: base = db;
      hermes_core_pkg::REGION_MAP:  base = mb;
      default:                      base = '0;  // stack offset
    endcase
    bar4_of = base + {4'b0, p[27:0]};
  endfunction

  // The bytes of an n-byte object's last word (n mod 8 of them, 0: all).
  function automatic logic [63:0] tail_mask(input logic [2:0] n);
    for (int unsigned b = 0; b < 8; b++) tail_mask[8*b +: 8] = {8{n == 3'd0 || 3'(b) < n}};
  endfunction

  logic key_stk, val_stk, val_map;
  assign key_stk = r2_q[31:28] == hermes_core_pkg::REGION_STACK;
  assign val_stk = r3_q[31:28] == hermes_core_pkg::REGION_STACK;
  assign val_map = r3_q[31:28] == hermes_core_pkg::REGION_MAP;

  function automatic logic dck();
    dck = c_vs_q && c_vstr_q && c_stor_q && c_max_q &&
          (is_hash_q ? c_ks_q && c_est_q && c_log_q && c_cap_q && c_capmax_q && c_cnt_q && c_cp1_q
                     : (is_array_q || is_percpu_q) && c_arr_q);
  endfunction

  // The derived values change only while the helper is busy with a call:
  // their clock enable is state_q != S_IDLE (a clock enable also keeps
  // their logic out of the simulator's idle clocks). They are current
  // where used: the first use, trec_q and trfull_q in S_ARG2, comes two
  // clocks after S_IDLE is left.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      is_hash_q   <= 1'b0;
      is_percpu_q <= 1'b0;
      is_array_q  <= 1'b0;
      kwm1_q      <= '0;
      ek_q        <= '0;
      vsm8_q      <= '0;
      ekl_q       <= '0;
      vwm1_q      <= '0;
      ewm1_q      <= '0;
      vw1_q       <= 1'b0;
      ew1_q       <= 1'b0;
      capm_q      <= '0;
      hsh_q       <= '0;
      stor_q      <= '0;
      stv_q       <= '0;
      poff_q      <= '0;
      desc_q      <= '0;
      cnt_addr_q  <= '0;
      trc_q       <= '0;
      trec_q      <= '0;
      trfull_q    <= 1'b0;
      tcnt1_q     <= '0;
      ke_q        <= '0;
      ve_q        <= '0;
      key_ok_q    <= 1'b0;
      val_ok_q    <= 1'b0;
      key_base_q  <= '0;
      val_base_q  <= '0;
      vbl_q       <= '0;
      vmst_q      <= '0;
      vlts_q      <= 1'b0;
      room_q      <= '0;
      {c_vs_q, c_vstr_q, c_stor_q, c_max_q, c_ks_q, c_est_q, c_log_q, c_cap_q} <= '0;
      {c_capmax_q, c_cnt_q, c_cp1_q, c_arr_q} <= '0;
      dck_q       <= 1'b0;
      bad_flags_q <= 1'b0;
      r4_is1_q    <= 1'b0;
      r4_is2_q    <= 1'b0;
      cnt_full_q  <= 1'b0;
      idx_big_q   <= 1'b0;
      kcur_q      <= '0;
      kl_q        <= 1'b0;
      hdst_q      <= '0;
      hdstl_q     <= '0;
      h_bwd_q     <= 1'b0;
      res_hit_q   <= '0;
      ij_le_q     <= 1'b0;
      last_pr_q   <= 1'b0;
      i_wrap_q    <= 1'b0;
      j_wrap_q    <= 1'b0;
      ea_nx_q     <= '0;
      ja_nx_q     <= '0;
      od_q        <= O_DONE;
      oa_q        <= O_DONE;
      oh_hit_q    <= O_DONE;
      oh_emp_q    <= O_DONE;
      oh_full_q   <= O_DONE;
    end else if (state_q != S_IDLE) begin
      is_hash_q   <= d_type_q == 32'd1;
      is_array_q  <= d_type_q == 32'd2;
      is_percpu_q <= d_type_q == 32'd6;
      kwm1_q      <= 3'(ks6_3(d_ks_q[6:0]) - 4'd1);
      ek_q        <= (d_ks_q + 32'd15) & ~32'd7;
      vsm8_q      <= d_vstr_q - 32'd8;
      ekl_q       <= ek_q + vsm8_q;
      vwm1_q      <= d_vstr_q[18:3] - 16'd1;
      ewm1_q      <= d_estr_q[18:3] - 16'd1;
      vw1_q       <= d_vstr_q[18:3] == 16'd1;
      ew1_q       <= d_estr_q[18:3] == 16'd1;
      capm_q      <= d_cap_q - 32'd1;
      hsh_q       <= 6'd32 - {1'b0, d_log2_q[4:0]};
      stor_q      <= map_bar4_i + d_stor_q;
      stv_q       <= stor_q + vsm8_q;
      poff_q      <= ek_q - map_bar4_i;
      desc_q      <= map_bar4_i + {20'b0, r1_q[11:0]};
      cnt_addr_q  <= map_bar4_i + {20'b0, r1_q[11:6], 6'd36};  // r1[5:0] = 0 when used
      trc_q       <= map_bar4_i + TraceBase;
      trec_q      <= trc_q + {tcnt1_q[25:0], 6'b0};  // record k at +64 + 64 k
      trfull_q    <= trace_cnt_q >= TraceRecs;
      tcnt1_q     <= trace_cnt_q + 32'd1;
      ke_q        <= {5'b0, r2_q[27:0]} + {1'b0, is_hash_q ? d_ks_q : 32'd4};
      ve_q        <= {5'b0, r3_q[27:0]} + {1'b0, d_vs_q};
      key_ok_q    <= range_ok(r2_q[63:32], r2_q[31:28], ke_q);
      val_ok_q    <= range_ok(r3_q[63:32], r3_q[31:28], ve_q);
      key_base_q  <= bar4_of(r2_q[31:0], prog_bar4_i, data_bar4_i, map_bar4_i);
      val_base_q  <= bar4_of(r3_q[31:0], prog_bar4_i, data_bar4_i, map_bar4_i);
      vbl_q       <= val_base_q + vsm8_q;
      vmst_q      <= val_base_q - stor_q;
      vlts_q      <= val_base_q < stor_q;
      room_q      <= SlotBytes - d_stor_q;
      c_vs_q      <= d_vs_q >= 32'd1 && d_vs_q <= 32'd32768;
      c_vstr_q    <= d_vstr_q == round8(d_vs_q);
      c_stor_q    <= d_stor_q[2:0] == 3'b0 && d_stor_q >= hermes_pkg::MS_STORAGE_OFF &&
                     d_stor_q <= SlotBytes;
      c_max_q     <= d_max_q != 32'd0;
      c_ks_q      <= d_ks_q >= 32'd1 && d_ks_q <= 32'd64;
      c_est_q     <= d_estr_q == ek_q + d_vstr_q;
      c_log_q     <= d_log2_q >= 32'd1 && d_log2_q <= 32'd31;
      c_cap_q     <= d_cap_q == 32'd1 << d_log2_q[4:0];
      c_capmax_q  <= {2'b0, d_cap_q} >= {1'b0, d_max_q, 1'b0} &&
                     (d_cap_q == 32'd2 || {2'b0, d_cap_q} < {d_max_q, 2'b0});
      c_cnt_q     <= d_cnt_q <= d_max_q;
      c_cp1_q     <= d_copies_q == 32'd1;
      c_arr_q     <= d_ks_q == 32'd4 && d_estr_q == d_vstr_q && d_cap_q == d_max_q &&
                     d_log2_q == 32'd0 && d_cnt_q == 32'd0 &&
                     d_copies_q == (is_percpu_q ? 32'(NUM_ENGINES) : 32'd1);
      dck_q       <= dck();
      // Linux's order: arrays tolerate BPF_F_LOCK (4) until after the
      // index and NOEXIST checks, hashes take only 0, 1 and 2.
      bad_flags_q <= hid_q == 4'd2 && (is_hash_q ? r4_q > 64'd2 : (r4_q & ~64'd4) > 64'd2);
      r4_is1_q    <= r4_q == 64'd1;
      r4_is2_q    <= r4_q == 64'd2;
      cnt_full_q  <= d_cnt_q >= d_max_q;
      idx_big_q   <= idx_q >= d_max_q;
      kcur_q      <= kbuf_q[k_q];
      kl_q        <= k_q == kwm1_q;
      hdst_q      <= ea_q + ek_q;
      hdstl_q     <= ea_q + ekl_q;
      h_bwd_q     <= val_map && val_base_q < hdst_q;
      res_hit_q   <= map_ptr(ea_q + poff_q);
      ij_le_q     <= i_q <= j_q;
      last_pr_q   <= probes_q >= capm_q;  // probes + 1 = capacity
      i_wrap_q    <= i_q == capm_q;
      j_wrap_q    <= j_q == capm_q;
      ea_nx_q     <= ea_q + d_estr_q;
      ja_nx_q     <= ja_q + d_estr_q;
      // docs/MAPS.md's order of checks.
      od_q        <= bad_flags_q ? O_EINVAL :
                     (!is_hash_q && hid_q == 4'd3) ? O_EINVAL :
                     !key_ok_q ? O_BADKEY : O_GO;
      oa_q        <= r4_q[0] ? O_EEXIST :
                     r4_q[2] ? O_EINVAL :  // BPF_F_LOCK: no spin locks in Hermes values
                     !val_ok_q ? O_BADVAL : O_GO;
      unique case (hid_q)
        4'd1: begin
          oh_hit_q  <= O_PTR;
          oh_emp_q  <= O_DONE;
          oh_full_q <= O_DONE;
        end
        4'd3: begin
          oh_hit_q  <= O_GO;
          oh_emp_q  <= O_ENOENT;
          oh_full_q <= O_ENOENT;
        end
        default: begin
          oh_hit_q  <= r4_is1_q ? O_EEXIST : !val_ok_q ? O_BADVAL : O_GO;
          oh_emp_q  <= r4_is2_q ? O_ENOENT : cnt_full_q ? O_E2BIG : !val_ok_q ? O_BADVAL : O_GO;
          // No free entry: a corrupt table.
          oh_full_q <= r4_is2_q ? O_ENOENT : cnt_full_q ? O_E2BIG : O_BADMAP;
        end
      endcase
    end
  end

  // Bytes of a word that belong to the key or value: all but in its last word.
  // (d: ld_data. The functions here read the module's signals; a function
  // that calls another takes an argument, which yosys needs.)
  function automatic logic [63:0] key_word(input logic [63:0] d);
    key_word = d & (kl_q ? tail_mask(d_ks_q[2:0]) : '1);
  endfunction
  function automatic logic [63:0] val_word(input logic [63:0] d);
    logic v_last;
    v_last   = bwd_q ? first_q : rz_q;
    val_word = d & (v_last ? tail_mask(d_vs_q[2:0]) : '1);
  endfunction

  // What a call ending with outcome o answers (res_q, cause_q and
  // faddr_q are 0 from the start of the call). O_PTR's pointer is res_hit_q.
  function automatic logic ends(input out_e o, input logic dry);
    ends = o != O_GO || dry;
  endfunction
  function automatic logic [63:0] end_res(input out_e o);
    unique case (o)
      O_PTR:    end_res = res_hit_q;
      O_EINVAL: end_res = EINVAL;
      O_EEXIST: end_res = EEXIST;
      O_ENOENT: end_res = ENOENT;
      O_E2BIG:  end_res = E2BIG;
      default:  end_res = '0;
    endcase
  endfunction
  function automatic logic [3:0] end_cause(input out_e o);
    unique case (o)
      O_BADMAP:           end_cause = hermes_core_pkg::FAULT_BAD_ARG;
      O_BADKEY, O_BADVAL: end_cause = hermes_core_pkg::FAULT_LOAD;
      default:            end_cause = '0;
    endcase
  endfunction
  function automatic logic [63:0] end_faddr(input out_e o);
    unique case (o)
      O_BADMAP: end_faddr = r1_q;
      O_BADKEY: end_faddr = r2_q;
      O_BADVAL: end_faddr = r3_q;
      default:  end_faddr = '0;
    endcase
  endfunction

  // ---- the shared multiplier ----
  function automatic logic [63:0] product();
    logic [31:0] mul_a, mul_b;
    unique case (state_q)
      // The storage size: capacity x stride while the descriptor is read
      // (both are in once it ends), then x copies.
      S_DESC:  begin mul_a = d_cap_q;                 mul_b = is_hash_q ? d_estr_q : d_vstr_q; end
      S_DCHK0: begin mul_a = prod_q[31:0];            mul_b = d_copies_q; end
      S_AMUL:  begin mul_a = (is_percpu_q ? 32'(ENGINE_ID) * d_cap_q : 32'd0) + idx_q;
                     mul_b = d_vstr_q; end
      S_HHASH: begin mul_a = x_q[31:0] ^ x_q[63:32];  mul_b = 32'h9E37_79B1; end
      S_HOFF:  begin mul_a = home_q;                  mul_b = d_estr_q; end
      default: begin mul_a = '0;                      mul_b = '0; end
    endcase
    product = 64'(mul_a) * 64'(mul_b);
  endfunction

  // The descriptor check's last part, the storage size, is szok_q.

  // The next table position after i (j), the BAR4 address of its entry.
  function automatic logic [31:0] i_nx();  i_nx  = i_wrap_q ? 32'd0  : i_q + 32'd1; endfunction
  function automatic logic [31:0] ea_nx(); ea_nx = i_wrap_q ? stor_q : ea_nx_q;     endfunction
  function automatic logic [31:0] j_nx();  j_nx  = j_wrap_q ? 32'd0  : j_q + 32'd1; endfunction
  function automatic logic [31:0] ja_nx(); ja_nx = j_wrap_q ? stor_q : ja_nx_q;     endfunction

  // Backward-shift delete: entry j with home h stays when h lies
  // cyclically in (i, j].
  function automatic logic sh_stays();
    logic [31:0] sh_home;
    sh_home  = mem_rdata_i[63:32];
    sh_stays = ij_le_q ? (sh_home > i_q && sh_home <= j_q)
                       : (sh_home > i_q || sh_home <= j_q);
  endfunction

  // The value copy reads the value as it was when the call began, also
  // when r3 points into the map slot where it is written: upwards when the
  // destination lies below the source, downwards (bwd_q) when above. An
  // ARRAY's destination is storage + prod_q.
  logic        key_last;
  function automatic logic a_bwd();
    a_bwd = val_map && (vlts_q || vmst_q < prod_q[31:0]);
  endfunction
  // The copy's direction, one word.
  function automatic logic [31:0] step(); step = bwd_q ? 32'hFFFF_FFF8 : 32'd8; endfunction
  function automatic logic [31:0] sp_nx(); sp_nx = sp_q + (bwd_q ? 32'hFFFF_FFF8 : 32'd8); endfunction
  assign key_last = k_q == kwm1_q;

  // The outcome of the checking step in progress.
  // (The descriptor check's last part, the storage size, is szok_q.)
  function automatic out_e oc();
    unique case (state_q)
      S_DCHK2: oc = dck_q && szok_q ? od_q : O_BADMAP;
      S_ARES:  oc = idx_big_q ? O_E2BIG : oa_q;
      default: oc = hit_q ? oh_hit_q : empty_q ? oh_emp_q : oh_full_q;
    endcase
  endfunction

  // Probes and the shift read map storage: the data port, never the stack.
  function automatic logic key_ne(); key_ne = mem_rdata_i != kcur_q; endfunction

  // The next access's address and store data: an AND-OR of sources, one
  // select each, that mirrors the sequencer's choices below. Written as
  // the nested choices of each state they put 10 levels of muxes between
  // a load's data and op_addr_q; as selects they put about 2.
  // The selects are the bits of asel and wsel (one word each: cheap to
  // clear in simulation); the AND-ORs are evaluated where op_addr_q and
  // op_wdata_q take them, under their enables.
  localparam int unsigned A_P8 = 0, A_TRCLR = 1, A_TREC = 2, A_TRC = 3, A_DESC = 4, A_KEY = 5,
                          A_VB = 6, A_VBL = 7, A_DP = 8, A_SP = 9, A_SPNX = 10, A_EA8 = 11,
                          A_HOME = 12, A_EANX = 13, A_EA = 14, A_EA4 = 15, A_CNT = 16,
                          A_JANX = 17, A_JA = 18;
  localparam int unsigned W_ZERO = 0, W_R1 = 1, W_TCNT = 2, W_R2 = 3, W_R3 = 4, W_R4 = 5,
                          W_R5 = 6, W_VAL = 7, W_KB0 = 8, W_KBN = 9, W_HOME = 10, W_ONE = 11,
                          W_CINC = 12, W_CDEC = 13, W_MEM = 14;
  logic [18:0] asel;                // the next address's source
  logic [14:0] wsel;                // the next store data's source
  always_comb begin
    asel = '0;
    wsel = '0;
    unique case (state_q)
      S_IDLE: if (clr_pend_q && !op_valid_q && !start_i) begin
        asel[A_TRCLR] = 1'b1;
        wsel[W_ZERO]  = 1'b1;
      end
      S_ARG2: if (!dry_i) begin
        asel[A_TREC] = !trfull_q;
        wsel[W_R1]   = !trfull_q;
        asel[A_TRC]  = trfull_q;
        wsel[W_TCNT] = trfull_q;
      end
      S_TRACE: if (st_done) begin
        asel[A_P8]   = k_q < 3'd4;
        asel[A_TRC]  = k_q >= 3'd4;
        wsel[W_R2]   = k_q == 3'd0;
        wsel[W_R3]   = k_q == 3'd1;
        wsel[W_R4]   = k_q == 3'd2;
        wsel[W_R5]   = k_q == 3'd3;
        wsel[W_TCNT] = k_q >= 3'd4;
      end
      S_LOCK:  asel[A_DESC] = lock_gnt_i;
      S_DESC:  asel[A_P8]   = ld_done && k_q != 3'd5;
      S_DCHK2: asel[A_KEY]  = oc() == O_GO;
      // The value copy starts, downwards or upwards.
      S_ARES: if (hid_q != 4'd1 && !ends(oc(), dry_i)) begin
        asel[A_VB]  = !a_bwd();
        asel[A_VBL] = a_bwd();
      end
      S_CPYLD: if (ld_done) begin asel[A_DP] = 1'b1; wsel[W_VAL] = 1'b1; end
      S_CPYST: if (st_done) begin
        asel[A_EA8]  = rz_q && ins_q;
        wsel[W_KB0]  = rz_q && ins_q;
        asel[A_SPNX] = !rz_q;
      end
      S_HKEY:  asel[A_P8]   = ld_done && !kl_q;
      S_HPR0:  asel[A_HOME] = 1'b1;
      S_PRH:   asel[A_EA8]  = ld_done && mem_rdata_i[0];
      S_PRK: if (ld_done) begin
        asel[A_EANX] = key_ne() && !last_pr_q;
        asel[A_P8]   = !key_ne() && !kl_q;
      end
      S_HDISP: if (!ends(oc(), dry_i)) begin
        asel[A_EA]    = hid_q == 4'd3;
        wsel[W_ZERO]  = hid_q == 4'd3;
        asel[A_VB]    = hid_q != 4'd3 && !h_bwd_q;
        asel[A_VBL]   = hid_q != 4'd3 && h_bwd_q;
      end
      S_HINSK: if (st_done) begin
        asel[A_EA4]  = key_last;
        wsel[W_HOME] = key_last;
        asel[A_P8]   = !key_last;
        wsel[W_KBN]  = !key_last;
      end
      S_HINSH: if (st_done) begin asel[A_EA]  = 1'b1; wsel[W_ONE]  = 1'b1; end
      S_HINSF: if (st_done) begin asel[A_CNT] = 1'b1; wsel[W_CINC] = 1'b1; end
      S_DZERO: if (st_done) begin asel[A_EANX] = rz_q; asel[A_P8] = !rz_q; end
      S_SHH:   wsel[W_MEM] = ld_done;
      S_SHD: begin
        asel[A_CNT]  = !occ_q || last_pr_q;
        wsel[W_CDEC] = !occ_q || last_pr_q;
        asel[A_JANX] = occ_q && !last_pr_q && stays_q;
        asel[A_EA]   = occ_q && !last_pr_q && !stays_q;
      end
      S_SHLD:  if (ld_done) begin asel[A_DP] = 1'b1; wsel[W_MEM] = 1'b1; end
      S_SHST:  if (st_done) begin asel[A_JA] = rz_q; wsel[W_ZERO] = rz_q; asel[A_SP] = !rz_q; end
      S_SHZERO: if (st_done) begin asel[A_JANX] = rz_q; asel[A_P8] = !rz_q; end
      default: ;
    endcase
  end

  function automatic logic [31:0] addr_d(input logic [31:0] a);  // a: op_addr_q
    addr_d  = ({32{asel[A_P8]}}    & (a + 32'd8)) |
              ({32{asel[A_TRCLR]}} & (map_bar4_i + TraceBase)) |
              ({32{asel[A_TREC]}}  & trec_q) |
              ({32{asel[A_TRC]}}   & trc_q) |
              ({32{asel[A_DESC]}}  & desc_q) |
              ({32{asel[A_KEY]}}   & key_base_q) |
              ({32{asel[A_VB]}}    & val_base_q) |
              ({32{asel[A_VBL]}}   & vbl_q) |
              ({32{asel[A_DP]}}    & dp_q) |
              ({32{asel[A_SP]}}    & sp_q) |
              ({32{asel[A_SPNX]}}  & sp_nx()) |
              ({32{asel[A_EA8]}}   & (ea_q + 32'd8)) |
              ({32{asel[A_HOME]}}  & (stor_q + prod_q[31:0])) |
              ({32{asel[A_EANX]}}  & ea_nx()) |
              ({32{asel[A_EA]}}    & ea_q) |
              ({32{asel[A_EA4]}}   & (ea_q + 32'd4)) |
              ({32{asel[A_CNT]}}   & cnt_addr_q) |
              ({32{asel[A_JANX]}}  & ja_nx()) |
              ({32{asel[A_JA]}}    & ja_q);
  endfunction
  function automatic logic [63:0] wdata_d(input logic [63:0] m);  // m: mem_rdata_i
    wdata_d  = ({64{wsel[W_R1]}}   & r1_q) |
               ({64{wsel[W_TCNT]}} & {32'b0, tcnt1_q}) |
               ({64{wsel[W_R2]}}   & {32'b0, r2_q[31:0]}) |
               ({64{wsel[W_R3]}}   & r3_q) |
               ({64{wsel[W_R4]}}   & r4_q) |
               ({64{wsel[W_R5]}}   & r5_q) |
               ({64{wsel[W_VAL]}}  & val_word(ld_data)) |
               ({64{wsel[W_KB0]}}  & kbuf_q[0]) |
               ({64{wsel[W_KBN]}}  & kbuf_q[k_q + 3'd1]) |
               ({64{wsel[W_HOME]}} & {32'b0, home_q}) |
               ({64{wsel[W_ONE]}}  & 64'd1) |
               ({64{wsel[W_CINC]}} & {32'b0, d_cnt_q + 32'd1}) |
               ({64{wsel[W_CDEC]}} & {32'b0, d_cnt_q - 32'd1}) |
               ({64{wsel[W_MEM]}}  & m);
  endfunction

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
  // The map lock is kept until the sequence's stores are answered: with
  // the slot memory's port queues a store is performed clocks after this
  // port's grant, and whoever takes the lock next (the host, another
  // engine) must find it written.
  assign lock_req_o   = hid_q != 4'd6 &&
                        ((state_q != S_IDLE && state_q != S_DONE) || st_pend_q != 3'd0);

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
      szok_q      <= 1'b0;
      k_q         <= '0;
      rem_q       <= '0;
      rz_q        <= 1'b1;
      x_q         <= '0;
      for (int unsigned w = 0; w < 8; w++) kbuf_q[w] <= '0;
      idx_q       <= '0;
      home_q      <= '0;
      i_q         <= '0;
      j_q         <= '0;
      ea_q        <= '0;
      ja_q        <= '0;
      sp_q        <= '0;
      dp_q        <= '0;
      probes_q    <= '0;
      hit_q       <= 1'b0;
      empty_q     <= 1'b0;
      ins_q       <= 1'b0;
      bwd_q       <= 1'b0;
      first_q     <= 1'b0;
      occ_q       <= 1'b0;
      stays_q     <= 1'b0;
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
      if (state_q != S_IDLE) prod_q <= product();

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
          end
          if (call_i && !abort_i && drained_i && !clr_pend_q && !fast && !unknown) begin
            hid_q   <= id_i[3:0];
            state_q <= S_ARG0;
          end
        end

        S_ARG0: begin
          // Read with done_o only: cleared here, off the id's path.
          cause_q <= '0;
          faddr_q <= '0;
          res_q   <= '0;
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
          end else if (!trfull_q) begin
            op_valid_q <= 1'b1;
            op_we_q    <= 1'b1;
            op_stk_q   <= 1'b0;
            op_size_q  <= 2'd3;
          end else begin
            state_q <= S_TRCNT;
            res_q   <= ENOSPC;
            op_valid_q <= 1'b1;
            op_we_q    <= 1'b1;
            op_stk_q   <= 1'b0;
            op_size_q  <= 2'd2;
          end
        end

        // ---- trace_printk: 5 words of the record, then the count ----
        S_TRACE: begin
          if (st_done) begin
            k_q        <= k_q + 3'd1;
            op_valid_q <= 1'b1;
            if (k_q >= 3'd4) begin
              op_size_q <= 2'd2;
              state_q   <= S_TRCNT;
            end
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
            state_q    <= S_DESC;
          end
        end
        S_DESC: begin
          if (ld_done) begin
            unique case (k_q)
              3'd0: begin d_type_q <= ld_data[31:0]; d_ks_q   <= ld_data[63:32]; end
              3'd1: begin d_vs_q   <= ld_data[31:0]; d_max_q  <= ld_data[63:32]; end
              3'd2: begin d_stor_q <= ld_data[31:0]; d_vstr_q <= ld_data[63:32]; end
              3'd3: begin d_estr_q <= ld_data[31:0]; d_cap_q  <= ld_data[63:32]; end
              3'd4: begin d_log2_q <= ld_data[31:0]; d_cnt_q  <= ld_data[63:32]; end
              default: d_copies_q <= ld_data[31:0];
            endcase
            k_q <= k_q + 3'd1;
            if (k_q == 3'd5) begin
              state_q <= S_DCHK0;
            end else begin
              op_valid_q <= 1'b1;
            end
          end
        end
        S_DCHK0: begin
          size_big_q <= prod_q[63:32] != 32'b0;
          state_q    <= S_DCHK1;
        end
        S_DCHK1: begin
          szok_q  <= !size_big_q && prod_q[63:32] == 32'b0 && prod_q[31:0] <= room_q;
          state_q <= S_DCHK2;
        end
        S_DCHK2: begin
          k_q <= '0;
          if (oc() != O_GO) begin
            res_q   <= end_res(oc());
            cause_q <= end_cause(oc());
            faddr_q <= end_faddr(oc());
            state_q <= S_DONE;
          end else begin
            op_valid_q <= 1'b1;
            op_we_q    <= 1'b0;
            op_stk_q   <= key_stk;
            op_size_q  <= is_hash_q ? 2'd3 : 2'd2;
            x_q        <= {32'b0, d_ks_q};
            state_q    <= is_hash_q ? S_HKEY : S_AKEY;
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
            res_q   <= idx_big_q ? 64'd0 : map_ptr(d_stor_q + prod_q[31:0]);
            state_q <= S_DONE;
          end else if (ends(oc(), dry_i)) begin
            res_q   <= end_res(oc());
            cause_q <= end_cause(oc());
            faddr_q <= end_faddr(oc());
            state_q <= S_DONE;
          end else begin
            ins_q      <= 1'b0;
            bwd_q      <= a_bwd();
            first_q    <= 1'b1;
            rem_q      <= vwm1_q;
            rz_q       <= vw1_q;
            dp_q       <= a_bwd() ? prod_q[31:0] + stv_q : prod_q[31:0] + stor_q;
            sp_q       <= a_bwd() ? vbl_q : val_base_q;
            op_valid_q <= 1'b1;
            op_we_q    <= 1'b0;
            op_stk_q   <= val_stk;
            op_size_q  <= 2'd3;
            state_q    <= S_CPYLD;
          end
        end

        // ---- value copy: value_stride bytes from sp_q to dp_q, zero padded ----
        // (for an insert, the key, home and flags follow)
        S_CPYLD: begin
          if (ld_done) begin
            op_valid_q <= 1'b1;
            op_we_q    <= 1'b1;
            op_stk_q   <= 1'b0;
            op_size_q  <= 2'd3;
            state_q    <= S_CPYST;
          end
        end
        S_CPYST: begin
          if (st_done) begin
            first_q <= 1'b0;
            if (rz_q) begin
              if (ins_q) begin
                k_q        <= '0;
                op_valid_q <= 1'b1;
                state_q    <= S_HINSK;
              end else begin
                state_q <= S_DONE;
              end
            end else begin
              rem_q      <= rem_q - 16'd1;
              rz_q       <= rem_q == 16'd1;
              dp_q       <= dp_q + step();
              sp_q       <= sp_nx();
              op_valid_q <= 1'b1;
              op_we_q    <= 1'b0;
              op_stk_q   <= val_stk;
              state_q    <= S_CPYLD;
            end
          end
        end

        // ---- HASH: key and hash ----
        S_HKEY: begin
          if (ld_done) begin
            kbuf_q[k_q] <= key_word(ld_data);
            x_q <= {x_q[40:0], x_q[63:41]} ^ key_word(ld_data);
            k_q <= k_q + 3'd1;
            if (kl_q) begin
              state_q <= S_HHASH;
            end else begin
              op_valid_q <= 1'b1;
            end
          end
        end
        S_HHASH: state_q <= S_HHOME;
        S_HHOME: begin
          home_q  <= prod_q[31:0] >> hsh_q;
          state_q <= S_HOFF;
        end
        S_HOFF: state_q <= S_HPR0;
        S_HPR0: begin
          i_q        <= home_q;
          ea_q       <= stor_q + prod_q[31:0];
          probes_q   <= '0;
          hit_q      <= 1'b0;
          empty_q    <= 1'b0;
          op_valid_q <= 1'b1;
          op_we_q    <= 1'b0;
          op_stk_q   <= 1'b0;
          op_size_q  <= 2'd3;
          state_q    <= S_PRH;
        end
        // Probe: the entry's flags and home, then its key words.
        S_PRH: begin
          if (ld_done) begin
            k_q <= '0;
            if (!mem_rdata_i[0]) begin
              empty_q <= 1'b1;
              state_q <= S_HDISP;
            end else begin
              op_valid_q <= 1'b1;
              state_q    <= S_PRK;
            end
          end
        end
        S_PRK: begin
          if (ld_done) begin
            k_q <= k_q + 3'd1;
            if (key_ne()) begin
              probes_q <= probes_q + 32'd1;
              if (last_pr_q) begin
                state_q <= S_HDISP;  // every entry full: not found, nowhere to insert
              end else begin
                i_q        <= i_nx();
                ea_q       <= ea_nx();
                op_valid_q <= 1'b1;
                state_q    <= S_PRH;
              end
            end else if (kl_q) begin
              hit_q   <= 1'b1;
              state_q <= S_HDISP;
            end else begin
              op_valid_q <= 1'b1;
            end
          end
        end
        S_HDISP: begin
          k_q <= '0;
          if (ends(oc(), dry_i)) begin
            res_q   <= end_res(oc());
            cause_q <= end_cause(oc());
            faddr_q <= end_faddr(oc());
            state_q <= S_DONE;
          end else if (hid_q == 4'd3) begin
            // Empty entry i, then shift the entries after it back.
            op_valid_q <= 1'b1;
            op_we_q    <= 1'b1;
            op_stk_q   <= 1'b0;
            op_size_q  <= 2'd3;
            probes_q   <= '0;
            rem_q      <= ewm1_q;
            rz_q       <= ew1_q;
            state_q    <= S_DZERO;
          end else begin
            // The value into the entry found, or, to insert, into the free
            // entry the probe ended on, followed there by key, home, flags.
            ins_q      <= !hit_q;
            bwd_q      <= h_bwd_q;
            first_q    <= 1'b1;
            rem_q      <= vwm1_q;
            rz_q       <= vw1_q;
            dp_q       <= h_bwd_q ? hdstl_q : hdst_q;
            sp_q       <= h_bwd_q ? vbl_q : val_base_q;
            op_valid_q <= 1'b1;
            op_we_q    <= 1'b0;
            op_stk_q   <= val_stk;
            op_size_q  <= 2'd3;
            state_q    <= S_CPYLD;
          end
        end
        S_HINSK: begin
          if (st_done) begin
            k_q        <= k_q + 3'd1;
            op_valid_q <= 1'b1;
            if (key_last) begin
              op_size_q <= 2'd2;
              state_q   <= S_HINSH;
            end
          end
        end
        S_HINSH: begin
          if (st_done) begin
            op_valid_q <= 1'b1;
            state_q    <= S_HINSF;
          end
        end
        S_HINSF: begin
          if (st_done) begin
            op_valid_q <= 1'b1;
            op_size_q  <= 2'd2;
            state_q    <= S_CNT;
          end
        end
        S_CNT: begin
          if (st_done) state_q <= S_DONE;
        end

        // ---- HASH delete: zero entry i, then the backward shift ----
        S_DZERO: begin
          if (st_done) begin
            op_valid_q <= 1'b1;
            if (rz_q) begin
              j_q       <= i_nx();
              ja_q      <= ea_nx();
              op_we_q   <= 1'b0;
              state_q   <= S_SHH;
            end else begin
              rem_q     <= rem_q - 16'd1;
              rz_q      <= rem_q == 16'd1;
            end
          end
        end
        // Entry j: its first word is taken apart here and acted on in
        // S_SHD, a clock later, to keep the compares off the port's path.
        S_SHH: begin
          if (ld_done) begin
            occ_q      <= mem_rdata_i[0];
            stays_q    <= sh_stays();
            state_q    <= S_SHD;
          end
        end
        S_SHD: begin
          probes_q   <= probes_q + 32'd1;
          op_valid_q <= 1'b1;
          if (!occ_q || last_pr_q) begin
            op_we_q    <= 1'b1;
            op_size_q  <= 2'd2;
            state_q    <= S_CNT;
          end else if (stays_q) begin
            j_q       <= j_nx();
            ja_q      <= ja_nx();
            state_q   <= S_SHH;
          end else begin
            // Move entry j to i: its first word (flags, home) is op_wdata_q.
            op_we_q   <= 1'b1;
            rem_q     <= ewm1_q;
            rz_q      <= ew1_q;
            sp_q      <= ja_q + 32'd8;
            dp_q      <= ea_q + 32'd8;
            state_q   <= S_SHST;
          end
        end
        S_SHLD: begin
          if (ld_done) begin
            op_valid_q <= 1'b1;
            op_we_q    <= 1'b1;
            dp_q       <= dp_q + 32'd8;
            state_q    <= S_SHST;
          end
        end
        S_SHST: begin
          if (st_done) begin
            op_valid_q <= 1'b1;
            if (rz_q) begin
              // Entry j moved: empty it, it becomes the new i.
              rem_q      <= ewm1_q;
              rz_q       <= ew1_q;
              state_q    <= S_SHZERO;
            end else begin
              rem_q     <= rem_q - 16'd1;
              rz_q      <= rem_q == 16'd1;
              op_we_q   <= 1'b0;
              sp_q      <= sp_q + 32'd8;
              state_q   <= S_SHLD;
            end
          end
        end
        S_SHZERO: begin
          if (st_done) begin
            op_valid_q <= 1'b1;
            if (rz_q) begin
              i_q       <= j_q;
              ea_q      <= ja_q;
              j_q       <= j_nx();
              ja_q      <= ja_nx();
              op_we_q   <= 1'b0;
              state_q   <= S_SHH;
            end else begin
              rem_q     <= rem_q - 16'd1;
              rz_q      <= rem_q == 16'd1;
            end
          end
        end

        S_DONE: ;
        default: state_q <= S_IDLE;
      endcase

      if (|asel) op_addr_q  <= addr_d(op_addr_q);
      if (|wsel) op_wdata_q <= wdata_d(mem_rdata_i);

      // The call leaves EX (done, or faulted before the sequence began).
      if (fire_i && state_q != S_IDLE) state_q <= S_IDLE;
    end
  end

  logic unused;
  assign unused = ^{ktime_i[63:62], d_vstr_q[31:19], d_vstr_q[2:0],
                    d_estr_q[31:19], d_estr_q[2:0], d_log2_q[31:5]};

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
      // Probes and the shift read the data port.
      assert (!(stk_wait_q && (state_q == S_PRH || state_q == S_PRK || state_q == S_SHH ||
                               state_q == S_SHLD)))
        else $error("hermes_helper: probe from the stack");
      // The registered values are current where they are used.
      assert (rz_q == (rem_q == 16'd0)) else $error("hermes_helper: rz_q lost rem_q");
      // At most one source each for the next address and store data.
      assert ($onehot0(asel))
        else $error("hermes_helper: two addresses");
      assert ($onehot0(wsel))
        else $error("hermes_helper: two store data");
      assert (state_q != S_DCHK2 || (key_ok_q == range_ok(r2_q[63:32], r2_q[31:28], {5'b0, r2_q[27:0]} +
                                                         {1'b0, is_hash_q ? d_ks_q : 32'd4}) &&
                                     dck_q == dck() && od_q != O_DONE))
        else $error("hermes_helper: descriptor checks late");
      assert (state_q != S_DCHK2 || (c_cp1_q == (d_copies_q == 32'd1) && c_cnt_q == (d_cnt_q <= d_max_q)))
        else $error("hermes_helper: descriptor fields late");
      assert (state_q != S_ARES || (idx_big_q == (idx_q >= d_max_q) && vbl_q == val_base_q + d_vstr_q - 32'd8))
        else $error("hermes_helper: array values late");
      assert (!(ld_done && (state_q == S_HKEY || state_q == S_PRK)) ||
              (kcur_q == kbuf_q[k_q] && kl_q == key_last && kwm1_q == 3'(ks6_3(d_ks_q[6:0]) - 4'd1)))
        else $error("hermes_helper: key word late");
      assert (!((ld_done && state_q == S_PRK) || state_q == S_SHD) || last_pr_q == (probes_q >= capm_q))
        else $error("hermes_helper: probe count late");
      assert (!(ld_done && state_q == S_SHH) || ij_le_q == (i_q <= j_q))
        else $error("hermes_helper: shift positions late");
      assert (!((ld_done && state_q == S_PRK) || (st_done && state_q == S_DZERO)) ||
              (i_nx() == (i_q + 32'd1) % d_cap_q && ea_nx() == stor_q + i_nx() * d_estr_q))
        else $error("hermes_helper: next entry i late");
      assert (!(state_q == S_SHD || (st_done && state_q == S_SHZERO)) ||
              (j_nx() == (j_q + 32'd1) % d_cap_q && ja_nx() == stor_q + j_nx() * d_estr_q))
        else $error("hermes_helper: next entry j late");
      assert (!(state_q == S_HDISP && hid_q == 4'd1 && hit_q) ||
              res_hit_q == MapBase + {32'b0, ea_q - stor_q + d_stor_q + ek_q})
        else $error("hermes_helper: value pointer late");
      assert (state_q != S_HDISP || (hdst_q == ea_q + ek_q && hdstl_q == ea_q + ekl_q &&
                                     h_bwd_q == (val_map && val_base_q < hdst_q) &&
                                     ekl_q == ek_q + d_vstr_q - 32'd8))
        else $error("hermes_helper: entry values late");
    end
  end
`endif

endmodule
