// SPDX-License-Identifier: MIT
// XDMA register block constants: the PG195 subset of docs/ARCHITECTURE.md "BAR2"
// (offsets, bit positions, identifiers, descriptor format).
package hermes_xdma_pkg;

  // Identifier register: [31:20] subsystem 0x1FC, [19:16] target,
  // [15] stream (0: memory mapped), [11:8] channel, [7:0] version.
  localparam logic [11:0] SUBSYS_ID = 12'h1FC;
  localparam logic [7:0]  IP_VERSION = 8'h06; // "2017.1 and later"

  // Targets (BAR2 address bits [15:12]).
  localparam logic [3:0] TGT_H2C       = 4'h0;
  localparam logic [3:0] TGT_C2H       = 4'h1;
  localparam logic [3:0] TGT_IRQ       = 4'h2;
  localparam logic [3:0] TGT_CFG       = 4'h3;
  localparam logic [3:0] TGT_H2C_SG    = 4'h4;
  localparam logic [3:0] TGT_C2H_SG    = 4'h5;
  localparam logic [3:0] TGT_SG_COMMON = 4'h6;

  // Channel registers (offsets inside a channel's 0x100 window).
  localparam logic [7:0] CH_ID          = 8'h00;
  localparam logic [7:0] CH_CTRL        = 8'h04;
  localparam logic [7:0] CH_CTRL_W1S    = 8'h08;
  localparam logic [7:0] CH_CTRL_W1C    = 8'h0C;
  localparam logic [7:0] CH_STATUS      = 8'h40;
  localparam logic [7:0] CH_STATUS_RC   = 8'h44;
  localparam logic [7:0] CH_CMPL_CNT    = 8'h48;
  localparam logic [7:0] CH_ALIGN       = 8'h4C;
  localparam logic [7:0] CH_POLL_LO     = 8'h88;
  localparam logic [7:0] CH_POLL_HI     = 8'h8C;
  localparam logic [7:0] CH_IMASK       = 8'h90;
  localparam logic [7:0] CH_IMASK_W1S   = 8'h94;
  localparam logic [7:0] CH_IMASK_W1C   = 8'h98;
  localparam logic [7:0] CH_PERF_CTRL   = 8'hC0;
  localparam logic [7:0] CH_PERF_CYC_LO = 8'hC4;
  localparam logic [7:0] CH_PERF_CYC_HI = 8'hC8;
  localparam logic [7:0] CH_PERF_DAT_LO = 8'hCC;
  localparam logic [7:0] CH_PERF_DAT_HI = 8'hD0;

  // SGDMA registers (per channel, targets 4 and 5).
  localparam logic [7:0] SG_DESC_LO  = 8'h80;
  localparam logic [7:0] SG_DESC_HI  = 8'h84;
  localparam logic [7:0] SG_DESC_ADJ = 8'h88;
  localparam logic [7:0] SG_CREDITS  = 8'h8C;

  // IRQ block (target 2).
  localparam logic [7:0] IRQ_USR_EN      = 8'h04;
  localparam logic [7:0] IRQ_USR_EN_W1S  = 8'h08;
  localparam logic [7:0] IRQ_USR_EN_W1C  = 8'h0C;
  localparam logic [7:0] IRQ_CH_EN       = 8'h10;
  localparam logic [7:0] IRQ_CH_EN_W1S   = 8'h14;
  localparam logic [7:0] IRQ_CH_EN_W1C   = 8'h18;
  localparam logic [7:0] IRQ_USR_REQ     = 8'h40;
  localparam logic [7:0] IRQ_CH_REQ      = 8'h44;
  localparam logic [7:0] IRQ_USR_PEND    = 8'h48;
  localparam logic [7:0] IRQ_CH_PEND     = 8'h4C;
  localparam logic [7:0] IRQ_USR_VEC0    = 8'h80; // 4 registers, 4 vectors each
  localparam logic [7:0] IRQ_CH_VEC0     = 8'hA0; // 2 registers

  // Config block (target 3).
  localparam logic [7:0] CFG_DATA_WIDTH = 8'h18; // 0: 64, 1: 128, 2: 256, 3: 512 bits

  // Control register bits (interrupt enables sit at the status bit they gate).
  localparam int unsigned CTRL_RUN = 0;

  // Status register bits.
  localparam int unsigned ST_BUSY           = 0;
  localparam int unsigned ST_DESC_STOPPED   = 1;
  localparam int unsigned ST_DESC_COMPLETED = 2;
  // 3 align_mismatch: never set (any alignment works)
  localparam int unsigned ST_MAGIC_STOPPED  = 4;
  // 5 invalid_length: never set (memory-mapped channels take any length)
  localparam int unsigned ST_IDLE_STOPPED   = 6;
  localparam int unsigned ST_RD_ERR         = 9;  // [13:9] read_error
  localparam int unsigned ST_WR_ERR         = 14; // [18:14] write_error
  localparam int unsigned ST_DESC_ERR       = 19; // [23:19] descr_error
  // Error sub-bits. Reads/writes on the AXI side: 0 decode error, 1 slave
  // error. Descriptor fetches (PCIe wording): 0 unsupported request,
  // 1 completer abort.
  localparam int unsigned ERR_DECODE = 0;
  localparam int unsigned ERR_SLAVE  = 1;

  // Performance monitor control.
  localparam int unsigned PERF_RUN   = 0;
  localparam int unsigned PERF_CLEAR = 1;
  localparam int unsigned PERF_AUTO  = 2;

  // Descriptor: word 0 = {magic[15:0], rsvd[1:0], nxt_adj[5:0], control[7:0]},
  // word 1 length, words 2-3 source, 4-5 destination, 6-7 next.
  localparam logic [15:0] DESC_MAGIC     = 16'hAD4B;
  localparam int unsigned DESC_STOP      = 0;
  localparam int unsigned DESC_COMPLETED = 1;
  // control bit 4 is EOP (streaming only: accepted and ignored here);
  // the length field is 28 bits.

  // Beats from a line up to the next max_burst-beat boundary (max_burst a
  // power of two; line_low the line's low log2(max_burst) bits). The H2C
  // and C2H burst issuers both cut their bursts there.
  function automatic logic [22:0] burst_room(int unsigned max_burst, logic [22:0] line_low);
    if (max_burst > 1) burst_room = 23'(max_burst) - line_low;
    else burst_room = 23'd1;
  endfunction

endpackage
