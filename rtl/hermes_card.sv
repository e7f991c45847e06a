// SPDX-License-Identifier: MIT
// Hermes card: the custom logic a user puts on an FPGA behind a PCIe shell
// (docs/RTL_INTERFACES.md "Card ports"). BAR0 is an AXI4-Lite slave
// (identity and geometry registers, card reset, per-engine command
// processors); BAR4 is an AXI4 slave (512-bit, ID_W-bit IDs) onto the slot
// memory, the only way in for the shell's DMA engine; an AXI4 master
// towards host memory is a port for later work and tied off; one interrupt
// vector per engine. A card reset (EHRESET, hermes_card_reset) resets all
// of it but the BAR0 and BAR4 bridges, the slot memory and the scrubber's
// high-water marks.
//
// The shell_dma_* pins let a shell whose DMA engine can be told (the
// simulator's shell model, hermes_top) take part in a card reset: the card
// asks it to stop, waits until it has drained (shell_dma_busy_i low), holds
// it in reset with the card, and refuses its register writes meanwhile. A
// shell without such an input (AWS F1) leaves them open and ties
// shell_dma_busy_i low; the card then drains only its own BAR4 bursts.
module hermes_card #(
  parameter int unsigned  NUM_ENGINES     = hermes_pkg::DEFAULT_ENGINES,
  parameter int unsigned  NUM_PROG_SLOTS  = hermes_pkg::DEFAULT_PROG_SLOTS,
  parameter int unsigned  NUM_DATA_SLOTS  = hermes_pkg::DEFAULT_DATA_SLOTS,
  parameter int unsigned  PROG_SLOT_BYTES = hermes_pkg::DEFAULT_PROG_SLOT_SIZE,
  parameter int unsigned  DATA_SLOT_BYTES = hermes_pkg::DEFAULT_DATA_SLOT_SIZE,
  parameter int unsigned  MAX_INSNS       = hermes_pkg::DEFAULT_MAX_INSNS,
  parameter int unsigned  NUM_QUEUES      = hermes_pkg::DEFAULT_QUEUES,      // 1..16
  parameter int unsigned  QUEUE_BYTES     = hermes_pkg::DEFAULT_QUEUE_BYTES, // region after the data slots
  // One map slot per program slot, after the queue region (docs/MAPS.md).
  parameter int unsigned  MAP_SLOT_BYTES  = hermes_pkg::DEFAULT_MAP_SLOT_SIZE,
  parameter logic [383:0] BUILD_ID        = '0,
  parameter int unsigned  ID_W            = 6,   // BAR4 AXI IDs (F1 dma_pcis: 6)
  parameter int unsigned  HOST_ID_W       = 6,   // host-memory master IDs (F1 pcim: 6)
  parameter bit           PORT_QUEUE      = 1'b1 // engine ports queued at the slot memory (docs/RTL_INTERFACES.md)
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,

  // BAR0: AXI4-Lite slave.
  input  logic [31:0]            bar0_awaddr_i,
  input  logic                   bar0_awvalid_i,
  output logic                   bar0_awready_o,
  input  logic [31:0]            bar0_wdata_i,
  input  logic [3:0]             bar0_wstrb_i,
  input  logic                   bar0_wvalid_i,
  output logic                   bar0_wready_o,
  output logic [1:0]             bar0_bresp_o,
  output logic                   bar0_bvalid_o,
  input  logic                   bar0_bready_i,
  input  logic [31:0]            bar0_araddr_i,
  input  logic                   bar0_arvalid_i,
  output logic                   bar0_arready_o,
  output logic [31:0]            bar0_rdata_o,
  output logic [1:0]             bar0_rresp_o,
  output logic                   bar0_rvalid_o,
  input  logic                   bar0_rready_i,

  // BAR4: AXI4 slave onto the slot memory, 512-bit data.
  input  logic [ID_W-1:0]        bar4_awid_i,
  input  logic [63:0]            bar4_awaddr_i,
  input  logic [7:0]             bar4_awlen_i,
  input  logic [2:0]             bar4_awsize_i,
  input  logic [1:0]             bar4_awburst_i,
  input  logic                   bar4_awvalid_i,
  output logic                   bar4_awready_o,
  input  logic [511:0]           bar4_wdata_i,
  input  logic [63:0]            bar4_wstrb_i,
  input  logic                   bar4_wlast_i,
  input  logic                   bar4_wvalid_i,
  output logic                   bar4_wready_o,
  output logic [ID_W-1:0]        bar4_bid_o,
  output logic [1:0]             bar4_bresp_o,
  output logic                   bar4_bvalid_o,
  input  logic                   bar4_bready_i,
  input  logic [ID_W-1:0]        bar4_arid_i,
  input  logic [63:0]            bar4_araddr_i,
  input  logic [7:0]             bar4_arlen_i,
  input  logic [2:0]             bar4_arsize_i,
  input  logic [1:0]             bar4_arburst_i,
  input  logic                   bar4_arvalid_i,
  output logic                   bar4_arready_o,
  output logic [ID_W-1:0]        bar4_rid_o,
  output logic [511:0]           bar4_rdata_o,
  output logic [1:0]             bar4_rresp_o,
  output logic                   bar4_rlast_o,
  output logic                   bar4_rvalid_o,
  input  logic                   bar4_rready_i,

  // AXI4 master towards host memory, 512-bit data. Nothing uses it yet:
  // it never starts a transaction and accepts (drops) any response.
  output logic [HOST_ID_W-1:0]   host_awid_o,
  output logic [63:0]            host_awaddr_o,
  output logic [7:0]             host_awlen_o,
  output logic [2:0]             host_awsize_o,
  output logic [1:0]             host_awburst_o,
  output logic                   host_awvalid_o,
  input  logic                   host_awready_i,
  output logic [511:0]           host_wdata_o,
  output logic [63:0]            host_wstrb_o,
  output logic                   host_wlast_o,
  output logic                   host_wvalid_o,
  input  logic                   host_wready_i,
  input  logic [HOST_ID_W-1:0]   host_bid_i,
  input  logic [1:0]             host_bresp_i,
  input  logic                   host_bvalid_i,
  output logic                   host_bready_o,
  output logic [HOST_ID_W-1:0]   host_arid_o,
  output logic [63:0]            host_araddr_o,
  output logic [7:0]             host_arlen_o,
  output logic [2:0]             host_arsize_o,
  output logic [1:0]             host_arburst_o,
  output logic                   host_arvalid_o,
  input  logic                   host_arready_i,
  input  logic [HOST_ID_W-1:0]   host_rid_i,
  input  logic [511:0]           host_rdata_i,
  input  logic [1:0]             host_rresp_i,
  input  logic                   host_rlast_i,
  input  logic                   host_rvalid_i,
  output logic                   host_rready_o,

  // Interrupts, one vector per engine: irq_req_o[e] is high while engine
  // e's completion is pending (DONE with its IRQ enable), as the XDMA IP's
  // usr_irq_req; the shell's acknowledgement irq_ack_i is not needed by
  // the card (a board wrapper that wants pulses makes them, cl_hermes).
  output logic [NUM_ENGINES-1:0] irq_req_o,
  input  logic [NUM_ENGINES-1:0] irq_ack_i,
  // Hardware queue q's completion interrupt (docs/HWQUEUE.md): an event
  // per moderation trigger, usr_irq_req/usr_irq_ack as PG195 has them for
  // MSI: raised by moderation, held until the shell's one-clock
  // queue_irq_ack_i (the message went out), then dropped; moderation raises
  // it again for the completions that came meanwhile. No host write re-arms it.
  output logic [NUM_QUEUES-1:0]  queue_irq_o,
  input  logic [NUM_QUEUES-1:0]  queue_irq_ack_i,

  // Card reset towards a shell DMA engine that can take part (see above).
  output logic                   shell_dma_stop_o,
  output logic                   shell_dma_hold_o,
  output logic                   shell_dma_rst_no,
  input  logic                   shell_dma_busy_i,

  // Retire records of every engine (docs/ISA.md), engine e in slice e: the
  // co-simulation and instruction-trace port.
  output logic [NUM_ENGINES-1:0]     rvfi_valid_o,
  output logic [NUM_ENGINES*32-1:0]  rvfi_pc_o,
  output logic [NUM_ENGINES*64-1:0]  rvfi_insn_o,
  output logic [NUM_ENGINES*8-1:0]   rvfi_rd_o,
  output logic [NUM_ENGINES*64-1:0]  rvfi_rd_value_o,
  output logic [NUM_ENGINES*2-1:0]   rvfi_mem_kind_o,
  output logic [NUM_ENGINES*4-1:0]   rvfi_mem_size_o,
  output logic [NUM_ENGINES*64-1:0]  rvfi_mem_addr_o,
  output logic [NUM_ENGINES*64-1:0]  rvfi_mem_value_o
);

  localparam int unsigned Caps = hermes_pkg::CAP_ATOMICS | hermes_pkg::CAP_LOCAL_CALLS |
                                 hermes_pkg::CAP_ABORT | hermes_pkg::CAP_PERF |
                                 hermes_pkg::CAP_ITRACE | hermes_pkg::CAP_RESET |
                                 hermes_pkg::CAP_HWQUEUE | hermes_pkg::CAP_MAPS;
  localparam int unsigned SlotBytes = NUM_PROG_SLOTS * PROG_SLOT_BYTES +
                                      NUM_DATA_SLOTS * DATA_SLOT_BYTES;
  // BAR4: program slots, data slots, the queue region, the map slots.
  localparam int unsigned MapOff    = SlotBytes + QUEUE_BYTES;
  localparam int unsigned MapBytes  = NUM_PROG_SLOTS * MAP_SLOT_BYTES;

  logic        reg_req_raw, reg_req, reg_we;
  logic [31:0] reg_addr_raw;
  logic [15:0] reg_addr;
  logic        reg_high;   // an offset past the 64 KiB register window
  logic [31:0] reg_wdata, reg_rdata;
  logic [3:0]  reg_wstrb;
  logic        reg_err;

  hermes_axil_regbus #(.ADDR_W(32)) u_bar0_bridge (
    .clk_i,
    .rst_ni,
    .s_awaddr_i  (bar0_awaddr_i),
    .s_awvalid_i (bar0_awvalid_i),
    .s_awready_o (bar0_awready_o),
    .s_wdata_i   (bar0_wdata_i),
    .s_wstrb_i   (bar0_wstrb_i),
    .s_wvalid_i  (bar0_wvalid_i),
    .s_wready_o  (bar0_wready_o),
    .s_bresp_o   (bar0_bresp_o),
    .s_bvalid_o  (bar0_bvalid_o),
    .s_bready_i  (bar0_bready_i),
    .s_araddr_i  (bar0_araddr_i),
    .s_arvalid_i (bar0_arvalid_i),
    .s_arready_o (bar0_arready_o),
    .s_rdata_o   (bar0_rdata_o),
    .s_rresp_o   (bar0_rresp_o),
    .s_rvalid_o  (bar0_rvalid_o),
    .s_rready_i  (bar0_rready_i),
    .req_o       (reg_req_raw),
    .we_o        (reg_we),
    .addr_o      (reg_addr_raw),
    .wdata_o     (reg_wdata),
    .wstrb_o     (reg_wstrb),
    .rdata_i     (reg_rdata),
    .err_i       (reg_err)
  );

  // BAR0 is larger than the register window on some shells (F1 OCL: 32 MiB):
  // offsets at or past 64 KiB answer SLVERR and reach no register.
  assign reg_high = reg_addr_raw[31:16] != '0;
  assign reg_addr = reg_addr_raw[15:0];
  assign reg_req  = reg_req_raw && !reg_high;

  logic        id_hit;
  logic [31:0] id_rdata;

  hermes_id_regs #(
    .NUM_ENGINES     (NUM_ENGINES),
    .NUM_PROG_SLOTS  (NUM_PROG_SLOTS),
    .NUM_DATA_SLOTS  (NUM_DATA_SLOTS),
    .PROG_SLOT_BYTES (PROG_SLOT_BYTES),
    .DATA_SLOT_BYTES (DATA_SLOT_BYTES),
    .MAX_INSNS       (MAX_INSNS),
    .CAPS            (Caps),
    .BUILD_ID        (BUILD_ID)
  ) u_id_regs (
    .addr_i  (reg_addr),
    .hit_o   (id_hit),
    .rdata_o (id_rdata)
  );

  // Card reset: its register, the core reset it drives, and the quiesce
  // handshake with the engines, the DMA block and the scrubber.
  logic        rst_hit, rst_err, core_rst_n, quiesce, hold, scrub_all, scrub_busy;
  logic [31:0] rst_rdata;

  // Slots released by commands and slots not yet zeroed by the scrubber.
  logic [NUM_PROG_SLOTS-1:0] prog_release, prog_want, prog_dirty;
  logic [NUM_DATA_SLOTS-1:0] data_release, data_want, data_dirty;

  // Command side of BAR0: one command processor per engine.
  logic                      ctrl_hit, ctrl_err;
  logic [31:0]               ctrl_rdata;
  logic [NUM_ENGINES-1:0]    eng_start, eng_abort, eng_busy, eng_done;
  logic [NUM_ENGINES*8-1:0]  eng_prog_slot, eng_data_slot;
  logic [NUM_ENGINES*32-1:0] eng_prog_len, eng_data_len, eng_max_insns, eng_fault_pc;
  logic [NUM_ENGINES*4-1:0]  eng_fault_cause;
  logic [NUM_ENGINES*64-1:0] eng_fault_addr, eng_r0, eng_insns, eng_cycles;
  // What the command processors ask of the engines; the engines get these
  // or the queue dispatcher's (engines it holds, q_own).
  logic [NUM_ENGINES-1:0]    cmd_start, cmd_busy, q_own, q_start;
  logic [NUM_ENGINES*8-1:0]  cmd_prog_slot, cmd_data_slot;
  logic [NUM_ENGINES*32-1:0] cmd_prog_len, cmd_data_len, cmd_max_insns;
  logic                      q_alloc_req, q_alloc_release, q_alloc_ack, q_alloc_ok;
  logic [7:0]                q_alloc_slot, q_alloc_gnt, q_prog_slot, q_data_slot;
  logic [31:0]               q_prog_len, q_data_len, q_max_insns;
  logic [NUM_PROG_SLOTS-1:0] prog_used;

  hermes_ctrl #(
    .NUM_ENGINES     (NUM_ENGINES),
    .NUM_PROG_SLOTS  (NUM_PROG_SLOTS),
    .NUM_DATA_SLOTS  (NUM_DATA_SLOTS),
    .PROG_SLOT_BYTES (PROG_SLOT_BYTES),
    .DATA_SLOT_BYTES (DATA_SLOT_BYTES),
    .MAX_INSNS       (MAX_INSNS)
  ) u_ctrl (
    .clk_i,
    .rst_ni            (core_rst_n),
    .reg_req_i         (ctrl_req),
    .reg_we_i          (reg_we),
    .reg_addr_i        (reg_addr),
    .reg_wdata_i       (reg_wdata),
    .reg_wstrb_i       (reg_wstrb),
    .reg_hit_o         (ctrl_hit),
    .reg_rdata_o       (ctrl_rdata),
    .reg_err_o         (ctrl_err),
    .eng_start_o       (cmd_start),
    .eng_prog_slot_o   (cmd_prog_slot),
    .eng_data_slot_o   (cmd_data_slot),
    .eng_prog_len_o    (cmd_prog_len),
    .eng_data_len_o    (cmd_data_len),
    .eng_max_insns_o   (cmd_max_insns),
    .eng_abort_o       (eng_abort),
    .eng_busy_i        (eng_busy),
    .eng_done_i        (eng_done),
    .eng_fault_cause_i (eng_fault_cause),
    .eng_fault_pc_i    (eng_fault_pc),
    .eng_fault_addr_i  (eng_fault_addr),
    .eng_r0_i          (eng_r0),
    .eng_insns_i       (eng_insns),
    .eng_cycles_i      (eng_cycles),
    .irq_o             (irq_req_o),
    .prog_release_o    (prog_release),
    .data_release_o    (data_release),
    .prog_want_o       (prog_want),
    .data_want_o       (data_want),
    .prog_dirty_i      (prog_dirty),
    .data_dirty_i      (data_dirty),
    .eng_claimed_i     (q_own),
    .cmd_busy_o        (cmd_busy),
    .q_alloc_req_i     (q_alloc_req),
    .q_alloc_release_i (q_alloc_release),
    .q_alloc_slot_i    (q_alloc_slot),
    .q_alloc_ack_o     (q_alloc_ack),
    .q_alloc_ok_o      (q_alloc_ok),
    .q_alloc_slot_o    (q_alloc_gnt),
    .prog_used_o       (prog_used)
  );

  hermes_card_reset u_card_reset (
    .clk_i,
    .rst_ni,
    .reg_req_i    (reg_req),
    .reg_we_i     (reg_we),
    .reg_addr_i   (reg_addr),
    .reg_wdata_i  (reg_wdata),
    .reg_wstrb_i  (reg_wstrb),
    .hit_o        (rst_hit),
    .rdata_o      (rst_rdata),
    .err_o        (rst_err),
    .quiesce_o    (quiesce),
    .eng_busy_i   (eng_busy != '0),
    .dma_busy_i   (shell_dma_busy_i || bar4_busy || hwq_busy),
    .hold_o       (hold),
    .core_rst_no  (core_rst_n),
    .scrub_all_o  (scrub_all),
    .scrub_busy_i (scrub_busy)
  );

  // Identity registers are read-only; unmapped offsets answer SLVERR. While
  // a card reset is under way, command register writes are refused (and
  // never reach the command processors).
  logic ctrl_req;
  logic        hwq_hit, hwq_err, hwq_busy;
  logic [31:0] hwq_rdata;
  assign ctrl_req  = reg_req && !(hold && reg_we);
  logic        map_hit, map_err;
  logic [31:0] map_rdata;
  assign reg_rdata = id_hit ? id_rdata : rst_hit ? rst_rdata : hwq_hit ? hwq_rdata :
                     map_hit ? map_rdata : ctrl_rdata;
  assign reg_err   = reg_high ? 1'b1 :
                     id_hit  ? reg_we :
                     rst_hit ? rst_err :
                     hwq_hit ? (hwq_err || (hold && reg_we)) :
                     map_hit ? (map_err || (hold && reg_we)) :
                     (!ctrl_hit || ctrl_err || (hold && reg_we));

  // Map registers and the card-wide map lock (helpers 1-3 and EHMLOCK).
  logic [NUM_ENGINES-1:0] lock_req, lock_gnt;
  hermes_map_lock #(
    .NUM_ENGINES (NUM_ENGINES),
    .MAP_OFF     (MapOff),
    .MAP_BYTES   (MAP_SLOT_BYTES)
  ) u_map_lock (
    .clk_i,
    .rst_ni      (core_rst_n),
    .reg_req_i   (reg_req && !(hold && reg_we)),
    .reg_we_i    (reg_we),
    .reg_addr_i  (reg_addr),
    .reg_wdata_i (reg_wdata),
    .reg_wstrb_i (reg_wstrb),
    .hit_o       (map_hit),
    .rdata_o     (map_rdata),
    .err_o       (map_err),
    .eng_req_i   (lock_req),
    .eng_gnt_o   (lock_gnt)
  );

  // ktime_get_ns: card clocks since the card (or pin) reset.
  logic [63:0] card_clocks_q;
  always_ff @(posedge clk_i or negedge core_rst_n) begin
    if (!core_rst_n) card_clocks_q <= '0;
    else             card_clocks_q <= card_clocks_q + 64'd1;
  end

  assign shell_dma_stop_o = quiesce;
  assign shell_dma_hold_o = hold;
  assign shell_dma_rst_no = core_rst_n;

  // ---- BAR4: the AXI4 slave and the slot memory behind it ----
  localparam int unsigned CardBytes = MapOff + MapBytes;
  localparam int unsigned LineAw    = $clog2(CardBytes / 64);

  logic               dma_req, dma_we, dma_gnt, dma_rvalid;
  logic [LineAw-1:0]  dma_addr;
  logic [511:0]       dma_wdata, dma_rdata;
  logic [63:0]        dma_be;
  // The BAR4 slave's side of the line port (dma_* is the memory's side,
  // shared with the scrubber, turn about while both want it).
  logic               bar4_req, bar4_we, bar4_gnt, bar4_busy, bar4_rvalid;
  logic [LineAw-1:0]  bar4_addr;
  logic [511:0]       bar4_wdata;
  logic [63:0]        bar4_be;

  hermes_bar4_axi #(
    .ID_W       (ID_W),
    .CARD_BYTES (CardBytes),
    .LINE_AW    (LineAw)
  ) u_bar4 (
    .clk_i,
    .rst_ni,
    .s_awid_i    (bar4_awid_i),
    .s_awaddr_i  (bar4_awaddr_i),
    .s_awlen_i   (bar4_awlen_i),
    .s_awsize_i  (bar4_awsize_i),
    .s_awburst_i (bar4_awburst_i),
    .s_awvalid_i (bar4_awvalid_i),
    .s_awready_o (bar4_awready_o),
    .s_wdata_i   (bar4_wdata_i),
    .s_wstrb_i   (bar4_wstrb_i),
    .s_wlast_i   (bar4_wlast_i),
    .s_wvalid_i  (bar4_wvalid_i),
    .s_wready_o  (bar4_wready_o),
    .s_bid_o     (bar4_bid_o),
    .s_bresp_o   (bar4_bresp_o),
    .s_bvalid_o  (bar4_bvalid_o),
    .s_bready_i  (bar4_bready_i),
    .s_arid_i    (bar4_arid_i),
    .s_araddr_i  (bar4_araddr_i),
    .s_arlen_i   (bar4_arlen_i),
    .s_arsize_i  (bar4_arsize_i),
    .s_arburst_i (bar4_arburst_i),
    .s_arvalid_i (bar4_arvalid_i),
    .s_arready_o (bar4_arready_o),
    .s_rid_o     (bar4_rid_o),
    .s_rdata_o   (bar4_rdata_o),
    .s_rresp_o   (bar4_rresp_o),
    .s_rlast_o   (bar4_rlast_o),
    .s_rvalid_o  (bar4_rvalid_o),
    .s_rready_i  (bar4_rready_i),
    .lp_req_o    (bar4_req),
    .lp_we_o     (bar4_we),
    .lp_addr_o   (bar4_addr),
    .lp_wdata_o  (bar4_wdata),
    .lp_be_o     (bar4_be),
    .lp_gnt_i    (bar4_gnt),
    .lp_rvalid_i (bar4_rvalid),
    .lp_rdata_i  (dma_rdata),
    .busy_o      (bar4_busy)
  );

  // The eBPF engines, each on its own data port of the slot memory.
  logic [NUM_ENGINES-1:0]    dmem_req, dmem_gnt, dmem_rvalid;
  logic [NUM_ENGINES*2-1:0]  dmem_op, dmem_size;
  logic [NUM_ENGINES*8-1:0]  dmem_amo;
  logic [NUM_ENGINES*32-1:0] dmem_addr;
  logic [NUM_ENGINES*64-1:0] dmem_wdata, dmem_cmp, dmem_rdata;

  for (genvar e = 0; e < NUM_ENGINES; e++) begin : g_engine
    hermes_engine #(
      .NUM_ENGINES     (NUM_ENGINES),
      .ENGINE_ID       (e),
      .NUM_PROG_SLOTS  (NUM_PROG_SLOTS),
      .NUM_DATA_SLOTS  (NUM_DATA_SLOTS),
      .PROG_SLOT_BYTES (PROG_SLOT_BYTES),
      .DATA_SLOT_BYTES (DATA_SLOT_BYTES),
      .MAP_OFF         (MapOff),
      .MAP_SLOT_BYTES  (MAP_SLOT_BYTES),
      // (without the port queues the slot memory answers the clock after
      // the grant: round 8's load clocks)
      .EARLY_LOAD_VALUE (!PORT_QUEUE)
    ) u_engine (
      .clk_i,
      .rst_ni           (core_rst_n),
      .ktime_i          (card_clocks_q),
      .lock_req_o       (lock_req[e]),
      .lock_gnt_i       (lock_gnt[e]),
      .start_i          (eng_start[e]),
      .prog_slot_i      (eng_prog_slot[e*8 +: 8]),
      .data_slot_i      (eng_data_slot[e*8 +: 8]),
      .prog_len_i       (eng_prog_len[e*32 +: 32]),
      .data_len_i       (eng_data_len[e*32 +: 32]),
      .max_insns_i      (eng_max_insns[e*32 +: 32]),
      .abort_i          (eng_abort[e] || quiesce),
      .busy_o           (eng_busy[e]),
      .done_o           (eng_done[e]),
      .fault_cause_o    (eng_fault_cause[e*4 +: 4]),
      .fault_pc_o       (eng_fault_pc[e*32 +: 32]),
      .fault_addr_o     (eng_fault_addr[e*64 +: 64]),
      .r0_o             (eng_r0[e*64 +: 64]),
      .insns_o          (eng_insns[e*64 +: 64]),
      .cycles_o         (eng_cycles[e*64 +: 64]),
      .dmem_req_o       (dmem_req[e]),
      .dmem_op_o        (dmem_op[e*2 +: 2]),
      .dmem_size_o      (dmem_size[e*2 +: 2]),
      .dmem_amo_o       (dmem_amo[e*8 +: 8]),
      .dmem_addr_o      (dmem_addr[e*32 +: 32]),
      .dmem_wdata_o     (dmem_wdata[e*64 +: 64]),
      .dmem_cmp_o       (dmem_cmp[e*64 +: 64]),
      .dmem_gnt_i       (dmem_gnt[e]),
      .dmem_rvalid_i    (dmem_rvalid[e]),
      .dmem_rdata_i     (dmem_rdata[e*64 +: 64]),
      .rvfi_valid_o     (rvfi_valid_o[e]),
      .rvfi_pc_o        (rvfi_pc_o[e*32 +: 32]),
      .rvfi_insn_o      (rvfi_insn_o[e*64 +: 64]),
      .rvfi_rd_o        (rvfi_rd_o[e*8 +: 8]),
      .rvfi_rd_value_o  (rvfi_rd_value_o[e*64 +: 64]),
      .rvfi_mem_kind_o  (rvfi_mem_kind_o[e*2 +: 2]),
      .rvfi_mem_size_o  (rvfi_mem_size_o[e*4 +: 4]),
      .rvfi_mem_addr_o  (rvfi_mem_addr_o[e*64 +: 64]),
      .rvfi_mem_value_o (rvfi_mem_value_o[e*64 +: 64])
    );
  end

  // Slot scrubber: zeroes released slots up to their high-water mark.
  logic              scrub_req, scrub_gnt;
  logic [LineAw-1:0] scrub_line;
  logic              wr_seen, eng_wr;
  logic [LineAw-1:0] wr_line, eng_wr_line;

  // The one write the slot memory grants per clock (DMA or engine), by
  // the last line it touches. An engine's is the memory's grant of it, not
  // the engine's: with the port queues they are clocks apart.
  always_comb begin
    // BAR4 and queue-dispatcher writes; the queue region has no slots.
    wr_seen = line_gnt && line_we && !scrub_sel &&
              (32'(line_addr) < SlotBytes / 64 || 32'(line_addr) >= MapOff / 64);
    wr_line = line_addr;
    if (eng_wr) begin
      wr_seen = 1'b1;
      wr_line = eng_wr_line;
    end
  end

  hermes_slot_scrub #(
    .NUM_PROG_SLOTS  (NUM_PROG_SLOTS),
    .NUM_DATA_SLOTS  (NUM_DATA_SLOTS),
    .PROG_SLOT_BYTES (PROG_SLOT_BYTES),
    .DATA_SLOT_BYTES (DATA_SLOT_BYTES),
    .MAP_SLOT_BYTES  (MAP_SLOT_BYTES),
    .MAP_LINE0       (MapOff / 64),
    .LINE_AW         (LineAw)
  ) u_scrub (
    .clk_i,
    .rst_ni,
    .wr_valid_i     (wr_seen),
    .wr_line_i      (wr_line),
    .prog_release_i (prog_release),
    .data_release_i (data_release),
    .prog_want_i    (prog_want),
    .data_want_i    (data_want),
    .scrub_all_i    (scrub_all),
    .busy_o         (scrub_busy),
    .prog_dirty_o   (prog_dirty),
    .data_dirty_o   (data_dirty),
    .req_o          (scrub_req),
    .line_o         (scrub_line),
    .gnt_i          (scrub_gnt)
  );

  // BAR4, the scrubber and the queue dispatcher share the line port round
  // robin: a DMA that streams without pause must not starve the scrub a
  // Request Slot waits for, nor the dispatcher. A read answers the clock
  // after its grant; rd_owner_q says whose it was (pin reset: the memory
  // answers across a card reset).
  logic [2:0] line_want, line_pick;
  logic [1:0] line_idx;
  logic       line_any, line_gnt, line_we, scrub_sel, q_sel;
  logic [LineAw-1:0] line_addr;
  logic       q_mem_req, q_mem_we, q_mem_gnt, q_rd_q;
  logic [LineAw-1:0] q_mem_addr;
  logic [511:0] q_mem_wdata;
  logic [63:0]  q_mem_be;

  assign line_want = {q_mem_req, scrub_req, bar4_req};
  hermes_xdma_rr_arb #(.N(3)) u_line_arb (
    .clk_i,
    .rst_ni,
    .req_i   (line_want),
    .ack_i   (dma_gnt),
    .gnt_o   (line_pick),
    .idx_o   (line_idx),
    .valid_o (line_any)
  );
  assign scrub_sel = line_pick[1];
  assign q_sel     = line_pick[2];
  assign line_gnt  = dma_gnt;
  assign line_we   = dma_we;
  assign line_addr = dma_addr;

  assign dma_req   = line_any;
  assign dma_we    = scrub_sel ? 1'b1 : q_sel ? q_mem_we : bar4_we;
  assign dma_addr  = scrub_sel ? scrub_line : q_sel ? q_mem_addr : bar4_addr;
  assign dma_wdata = scrub_sel ? '0 : q_sel ? q_mem_wdata : bar4_wdata;
  assign dma_be    = scrub_sel ? '1 : q_sel ? q_mem_be : bar4_be;
  assign bar4_gnt  = dma_gnt && line_pick[0];
  assign scrub_gnt = dma_gnt && scrub_sel;
  assign q_mem_gnt = dma_gnt && q_sel;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) q_rd_q <= 1'b0;
    else         q_rd_q <= q_mem_gnt && !q_mem_we;
  end
  assign bar4_rvalid = dma_rvalid && !q_rd_q;

  hermes_slot_mem #(
    .NUM_ENGINES     (NUM_ENGINES),
    .NUM_PROG_SLOTS  (NUM_PROG_SLOTS),
    .NUM_DATA_SLOTS  (NUM_DATA_SLOTS),
    .PROG_SLOT_BYTES (PROG_SLOT_BYTES),
    .DATA_SLOT_BYTES (DATA_SLOT_BYTES),
    .EXTRA_BYTES     (QUEUE_BYTES + MapBytes),
    .PORT_QUEUE      (PORT_QUEUE)
  ) u_slot_mem (
    .clk_i,
    .rst_ni,
    .dma_req_i     (dma_req),
    .dma_we_i      (dma_we),
    .dma_addr_i    (dma_addr),
    .dma_wdata_i   (dma_wdata),
    .dma_be_i      (dma_be),
    .dma_gnt_o     (dma_gnt),
    .dma_rvalid_o  (dma_rvalid),
    .dma_rdata_o   (dma_rdata),
    .dmem_req_i    (dmem_req),
    .dmem_op_i     (dmem_op),
    .dmem_size_i   (dmem_size),
    .dmem_amo_i    (dmem_amo),
    .dmem_addr_i   (dmem_addr),
    .dmem_wdata_i  (dmem_wdata),
    .dmem_cmp_i    (dmem_cmp),
    .dmem_gnt_o    (dmem_gnt),
    .dmem_rvalid_o (dmem_rvalid),
    .dmem_rdata_o  (dmem_rdata),
    .eng_wr_o      (eng_wr),
    .eng_wr_line_o (eng_wr_line)
  );

  // ---- Hardware command queues: registers and dispatcher ----
  logic [NUM_QUEUES-1:0]    hwq_en, hwq_start, hwq_cpl;
  logic [NUM_ENGINES-1:0]   hwq_eng_mask;
  logic [NUM_QUEUES*32-1:0] hwq_sq_base, hwq_cq_base;
  logic [NUM_QUEUES*4-1:0]  hwq_sq_log2, hwq_cq_log2;
  logic [NUM_QUEUES-1:0]    hwq_cq_wide;
  logic [NUM_QUEUES*16-1:0] hwq_q_eng;
  logic [NUM_QUEUES*16-1:0] hwq_sq_tail, hwq_cq_head, hwq_sq_head, hwq_cq_tail;
  logic [NUM_QUEUES-1:0]    hwq_q_busy;

  hermes_hwq_regs #(
    .NUM_QUEUES  (NUM_QUEUES),
    .NUM_ENGINES (NUM_ENGINES),
    .FIRST_IRQ   (NUM_ENGINES),
    .QUEUE_OFF   (SlotBytes),
    .QUEUE_BYTES (QUEUE_BYTES)
  ) u_hwq_regs (
    .clk_i,
    .rst_ni      (core_rst_n),
    .reg_req_i   (reg_req && !(hold && reg_we)),
    .reg_we_i    (reg_we),
    .reg_addr_i  (reg_addr),
    .reg_wdata_i (reg_wdata),
    .reg_wstrb_i (reg_wstrb),
    .hit_o       (hwq_hit),
    .rdata_o     (hwq_rdata),
    .err_o       (hwq_err),
    .eng_mask_o  (hwq_eng_mask),
    .en_o        (hwq_en),
    .start_o     (hwq_start),
    .sq_base_o   (hwq_sq_base),
    .cq_base_o   (hwq_cq_base),
    .sq_log2_o   (hwq_sq_log2),
    .cq_log2_o   (hwq_cq_log2),
    .cq_wide_o   (hwq_cq_wide),
    .q_eng_o     (hwq_q_eng),
    .sq_tail_o   (hwq_sq_tail),
    .cq_head_o   (hwq_cq_head),
    .sq_head_i   (hwq_sq_head),
    .cq_tail_i   (hwq_cq_tail),
    .busy_i      (hwq_q_busy),
    .cpl_i       (hwq_cpl),
    .irq_o       (queue_irq_o),
    .irq_ack_i   (queue_irq_ack_i)
  );

  hermes_hwq_disp #(
    .NUM_QUEUES      (NUM_QUEUES),
    .NUM_ENGINES     (NUM_ENGINES),
    .NUM_PROG_SLOTS  (NUM_PROG_SLOTS),
    .PROG_SLOT_BYTES (PROG_SLOT_BYTES),
    .DATA_SLOT_BYTES (DATA_SLOT_BYTES),
    .MAX_INSNS       (MAX_INSNS),
    .CARD_BYTES      (CardBytes),
    .LINE_AW         (LineAw)
  ) u_hwq_disp (
    .clk_i,
    .rst_ni            (core_rst_n),
    .quiesce_i         (quiesce),
    .en_i              (hwq_en),
    .start_i           (hwq_start),
    .sq_base_i         (hwq_sq_base),
    .cq_base_i         (hwq_cq_base),
    .sq_log2_i         (hwq_sq_log2),
    .cq_log2_i         (hwq_cq_log2),
    .cq_wide_i         (hwq_cq_wide),
    .q_eng_i           (hwq_q_eng),
    .sq_tail_i         (hwq_sq_tail),
    .cq_head_i         (hwq_cq_head),
    .sq_head_o         (hwq_sq_head),
    .cq_tail_o         (hwq_cq_tail),
    .q_busy_o          (hwq_q_busy),
    .cpl_o             (hwq_cpl),
    .eng_mask_i        (hwq_eng_mask),
    .own_o             (q_own),
    .eng_start_o       (q_start),
    .eng_prog_slot_o   (q_prog_slot),
    .eng_data_slot_o   (q_data_slot),
    .eng_prog_len_o    (q_prog_len),
    .eng_data_len_o    (q_data_len),
    .eng_max_insns_o   (q_max_insns),
    .eng_busy_i        (eng_busy),
    .cmd_busy_i        (cmd_busy),
    .eng_done_i        (eng_done),
    .eng_fault_cause_i (eng_fault_cause),
    .eng_fault_pc_i    (eng_fault_pc),
    .eng_r0_i          (eng_r0),
    .eng_insns_i       (eng_insns),
    .eng_cycles_i      (eng_cycles),
    .eng_fault_addr_i  (eng_fault_addr),
    .alloc_req_o       (q_alloc_req),
    .alloc_release_o   (q_alloc_release),
    .alloc_slot_o      (q_alloc_slot),
    .alloc_ack_i       (q_alloc_ack),
    .alloc_ok_i        (q_alloc_ok),
    .alloc_slot_i      (q_alloc_gnt),
    .prog_used_i       (prog_used),
    .mem_req_o         (q_mem_req),
    .mem_we_o          (q_mem_we),
    .mem_addr_o        (q_mem_addr),
    .mem_wdata_o       (q_mem_wdata),
    .mem_be_o          (q_mem_be),
    .mem_gnt_i         (q_mem_gnt),
    .mem_rvalid_i      (dma_rvalid && q_rd_q),
    .mem_rdata_i       (dma_rdata),
    .busy_o            (hwq_busy)
  );

  // Engine e runs the dispatcher's job while the dispatcher holds it.
  for (genvar e = 0; e < NUM_ENGINES; e++) begin : g_eng_mux
    assign eng_start[e]             = q_own[e] ? q_start[e] : cmd_start[e];
    assign eng_prog_slot[e*8 +: 8]  = q_own[e] ? q_prog_slot : cmd_prog_slot[e*8 +: 8];
    assign eng_data_slot[e*8 +: 8]  = q_own[e] ? q_data_slot : cmd_data_slot[e*8 +: 8];
    assign eng_prog_len[e*32 +: 32] = q_own[e] ? q_prog_len : cmd_prog_len[e*32 +: 32];
    assign eng_data_len[e*32 +: 32] = q_own[e] ? q_data_len : cmd_data_len[e*32 +: 32];
    assign eng_max_insns[e*32 +: 32] = q_own[e] ? q_max_insns : cmd_max_insns[e*32 +: 32];
  end

  // The host-memory master: a port for later work, idle today.
  assign host_awid_o    = '0;
  assign host_awaddr_o  = '0;
  assign host_awlen_o   = '0;
  assign host_awsize_o  = 3'd6;
  assign host_awburst_o = 2'b01;
  assign host_awvalid_o = 1'b0;
  assign host_wdata_o   = '0;
  assign host_wstrb_o   = '0;
  assign host_wlast_o   = 1'b0;
  assign host_wvalid_o  = 1'b0;
  assign host_bready_o  = 1'b1;
  assign host_arid_o    = '0;
  assign host_araddr_o  = '0;
  assign host_arlen_o   = '0;
  assign host_arsize_o  = 3'd6;
  assign host_arburst_o = 2'b01;
  assign host_arvalid_o = 1'b0;
  assign host_rready_o  = 1'b1;

  logic unused;
  assign unused = ^{host_awready_i, host_wready_i, host_bid_i, host_bresp_i, host_bvalid_i,
                    host_arready_i, host_rid_i, host_rdata_i, host_rresp_i, host_rlast_i,
                    host_rvalid_i, irq_ack_i, line_idx};

endmodule
