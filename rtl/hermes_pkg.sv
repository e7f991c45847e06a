// SPDX-License-Identifier: MIT
// Hermes card constants: BAR0 register map, commands, statuses, fault
// causes. host/include/hermes/regs.h carries the same values for the host;
// tests/unit/test_regs_consistency.cpp fails when the two disagree.
package hermes_pkg;

  // Identity and geometry registers (BAR0).
  localparam int unsigned EHVER      = 'h0000;
  localparam int unsigned EHBLD      = 'h0004;
  localparam int unsigned EHBLD_LEN  = 48;
  localparam int unsigned EHENG      = 'h0034;
  localparam int unsigned EHPSLOT    = 'h0035;
  localparam int unsigned EHDSLOT    = 'h0036;
  localparam int unsigned EHPSOFF    = 'h0038;
  localparam int unsigned EHPSSZE    = 'h003C;
  localparam int unsigned EHDSOFF    = 'h0040;
  localparam int unsigned EHDSSZE    = 'h0044;
  localparam int unsigned EHCAP      = 'h0048;
  localparam int unsigned EHMAXI     = 'h004C;
  // Card reset (docs/REGISTERS.md "EHRESET"): write RESET_KEY to reset.
  localparam int unsigned EHRESET    = 'h0050;
  localparam int unsigned RESET_KEY  = 'h48525354;
  localparam int unsigned RESET_BUSY        = 'h01;
  localparam int unsigned RESET_SCRUB       = 'h02;
  localparam int unsigned RESET_COUNT_SHIFT = 16;

  localparam int unsigned VERSION    = 1;

  // EHCAP bits.
  localparam int unsigned CAP_ATOMICS     = 'h01;
  localparam int unsigned CAP_LOCAL_CALLS = 'h02;
  localparam int unsigned CAP_ABORT       = 'h04;
  localparam int unsigned CAP_PERF        = 'h08;
  localparam int unsigned CAP_ITRACE      = 'h10;
  localparam int unsigned CAP_RESET       = 'h20;

  // Per-engine command registers.
  localparam int unsigned EHCMDREQ_BASE    = 'h1000;
  localparam int unsigned EHCMDREQ_STRIDE  = 48;
  localparam int unsigned EHCMDREQ_LEN     = 32;
  localparam int unsigned EHCMDRES_BASE    = 'h1020;
  localparam int unsigned EHCMDRES_STRIDE  = 48;
  localparam int unsigned EHCMDRES_LEN     = 16;
  localparam int unsigned EHCMDCTRL_BASE   = 'h2000;
  localparam int unsigned EHCMDCTRL_STRIDE = 8;
  localparam int unsigned EHENGSTAT_BASE   = 'h3000;
  localparam int unsigned EHENGSTAT_STRIDE = 64;

  localparam int unsigned CTRL_EXEC_SHIFT  = 0;
  localparam int unsigned CTRL_DONE_SHIFT  = 8;
  localparam int unsigned CTRL_ABORT_SHIFT = 16;
  localparam int unsigned CTRL_IRQEN_SHIFT = 24;

  localparam int unsigned STAT_STATE       = 'h00;
  localparam int unsigned STAT_INSNS       = 'h08;
  localparam int unsigned STAT_CYCLES      = 'h10;
  localparam int unsigned STAT_FAULT_PC    = 'h18;
  localparam int unsigned STAT_FAULT_CAUSE = 'h1C;
  localparam int unsigned STAT_FAULT_ADDR  = 'h20;

  localparam int unsigned STATE_IDLE    = 0;
  localparam int unsigned STATE_RUNNING = 1;
  localparam int unsigned STATE_FAULT   = 2;

  // Commands.
  localparam int unsigned CMD_REQ_SLOT = 'h00;
  localparam int unsigned CMD_REL_SLOT = 'h01;
  localparam int unsigned CMD_RUN      = 'h80;
  localparam int unsigned SLOT_PROG    = 0;
  localparam int unsigned SLOT_DATA    = 1;

  // Command status.
  localparam int unsigned ST_SUCCESS       = 0;
  localparam int unsigned ST_NO_SLOT       = 1;
  localparam int unsigned ST_BAD_PROG_SLOT = 2;
  localparam int unsigned ST_BAD_DATA_SLOT = 3;
  localparam int unsigned ST_BAD_ADDR      = 4;
  localparam int unsigned ST_EBPF_ERROR    = 5;
  localparam int unsigned ST_BAD_OPCODE    = 6;

  // Hardware command queues (docs/HWQUEUE.md): geometry, then one
  // register block of EHQ_STRIDE bytes per queue.
  localparam int unsigned EHQNUM       = 'h4000;
  localparam int unsigned EHQOFF       = 'h4004;
  localparam int unsigned EHQSZE       = 'h4008;
  localparam int unsigned EHQENG       = 'h400C;
  localparam int unsigned EHQ_BASE     = 'h4100;
  localparam int unsigned EHQ_STRIDE   = 32;
  localparam int unsigned EHQ_MAX      = 16;
  localparam int unsigned Q_CTRL       = 'h00;
  localparam int unsigned Q_SQBASE     = 'h04;
  localparam int unsigned Q_CQBASE     = 'h08;
  localparam int unsigned Q_SIZE       = 'h0C;
  localparam int unsigned QSIZE_WIDE   = 'h1000;  // Q_SIZE bit 12: 64-byte completions
  localparam int unsigned Q_SQTAIL     = 'h10;
  localparam int unsigned Q_CQHEAD     = 'h14;
  localparam int unsigned Q_MOD        = 'h18;
  localparam int unsigned Q_STAT       = 'h1C;
  localparam int unsigned QCTRL_EN     = 'h01;
  localparam int unsigned QCTRL_ERR    = 'h02;
  localparam int unsigned QCTRL_BUSY   = 'h04;  // read-only: jobs of the queue in the dispatcher's hands
  localparam int unsigned CAP_HWQUEUE  = 'h40;

  // Queue entry opcodes, flags and the statuses only queues produce.
  localparam int unsigned QOP_RUN       = 'h01;
  localparam int unsigned QF_LINK       = 'h01;
  localparam int unsigned QF_DRAIN      = 'h02;
  localparam int unsigned QE_VERSION    = 1;
  localparam int unsigned ST_CANCELED   = 7;

  // Maps and helpers (docs/MAPS.md): map slot geometry and the host map lock.
  localparam int unsigned EHMSOFF      = 'h4400;
  localparam int unsigned EHMSSZE      = 'h4404;
  localparam int unsigned EHMLOCK      = 'h4408;
  localparam int unsigned CAP_MAPS     = 'h80;
  // Map slot layout: descriptors, per-engine trace buffers, storage.
  localparam int unsigned MS_TRACE_OFF    = 'h1000;
  localparam int unsigned MS_TRACE_STRIDE = 'h800;
  localparam int unsigned MS_STORAGE_OFF  = 'h9000;

  // Default geometry (hermes_top parameters).
  localparam int unsigned DEFAULT_ENGINES        = 4;
  localparam int unsigned DEFAULT_PROG_SLOTS     = 16;
  localparam int unsigned DEFAULT_DATA_SLOTS     = 16;
  localparam int unsigned DEFAULT_PROG_SLOT_SIZE = 'h10000;
  localparam int unsigned DEFAULT_DATA_SLOT_SIZE = 'h100000;
  localparam int unsigned DEFAULT_MAX_INSNS      = 'h1000000;
  localparam int unsigned DEFAULT_QUEUES         = 8;
  localparam int unsigned DEFAULT_QUEUE_BYTES    = 'h800000;
  localparam int unsigned DEFAULT_MAP_SLOT_SIZE  = 'h40000;

  // AXI response codes.
  localparam logic [1:0] AXI_RESP_OKAY   = 2'b00;
  localparam logic [1:0] AXI_RESP_SLVERR = 2'b10;
  localparam logic [1:0] AXI_RESP_DECERR = 2'b11;

  // Whether slot `slot` (a command's 8-bit slot field) is set in `used`,
  // a slot vector zero-extended to 256 bits: false for a slot beyond the
  // vector. One bit select, where a loop comparing the field with every
  // slot number costs the simulator a comparison per slot every clock.
  function automatic logic slot_used(input logic [255:0] used, input logic [7:0] slot);
    slot_used = used[slot];
  endfunction

endpackage
