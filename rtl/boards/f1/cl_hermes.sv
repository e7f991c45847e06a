// SPDX-License-Identifier: MIT
// Hermes as an AWS F1 custom logic (CL): hermes_card behind the F1 shell
// (shell_v04261818, clock recipe A1: clk_main_a0 at 250 MHz). docs/F1.md
// says how to build an AFI from it and what was verified here.
//
//   AppPF BAR0 (OCL, AXI4-Lite)      -> card BAR0: identity, commands
//   AppPF BAR4 (DMA_PCIS, AXI4 512b) -> card BAR4: the slot memory
//   PCIM (AXI4 512b to host memory)  <- card host master (idle today)
//   cl_sh_apppf_irq_req/ack [15:0]   <- engine e's completion is vector e,
//                                       hardware queue q's is vector NUM_ENGINES + q
//
// The port list here is the part of the shell's CL ports (cl_ports.vh)
// Hermes uses, with the shell's names and widths. Compiled with
// HERMES_AWS_HDK defined (in the HDK build, where cl_ports.vh and the
// shell's unused_*_template.inc files are on the include path), the module
// takes the full cl_ports.vh port list instead and ties off the interfaces
// it leaves unused (DDR A/B/D and C, SDA, BAR1, virtual JTAG, LEDs) with the
// HDK's own templates.
`ifdef HERMES_AWS_HDK
module cl_hermes #(
  parameter int unsigned NUM_ENGINES = hermes_pkg::DEFAULT_ENGINES,
  parameter logic [383:0] BUILD_ID   = '0,
  parameter logic [31:0] CL_SH_ID0   = 32'hF000_1D0F,  // PCI device F000, vendor 1D0F (Amazon)
  parameter logic [31:0] CL_SH_ID1   = 32'h1D51_FEDD   // subsystem 1D51, subsystem vendor FEDD
) (
  `include "cl_ports.vh"
);
  logic rst_main_n_sync;   // named as the HDK's DDR template expects
  `include "unused_ddr_a_b_d_template.inc"
  `include "unused_ddr_c_template.inc"
  `include "unused_cl_sda_template.inc"
  `include "unused_sh_bar1_template.inc"
  assign tdo               = 1'b0;
  assign cl_sh_status_vled = 16'h0;
`else
module cl_hermes #(
  parameter int unsigned NUM_ENGINES = hermes_pkg::DEFAULT_ENGINES,
  parameter logic [383:0] BUILD_ID   = '0,
  parameter logic [31:0] CL_SH_ID0   = 32'hF000_1D0F,  // PCI device F000, vendor 1D0F (Amazon)
  parameter logic [31:0] CL_SH_ID1   = 32'h1D51_FEDD   // subsystem 1D51, subsystem vendor FEDD
) (
  // Globals
  input  logic         clk_main_a0,
  input  logic         rst_main_n,
  input  logic         sh_cl_flr_assert,
  output logic         cl_sh_flr_done,
  output logic [31:0]  cl_sh_status0,
  output logic [31:0]  cl_sh_status1,
  output logic [31:0]  cl_sh_id0,
  output logic [31:0]  cl_sh_id1,
  output logic         cl_sh_dma_wr_full,
  output logic         cl_sh_dma_rd_full,

  // PCIM: AXI4 master towards host memory
  output logic [15:0]  cl_sh_pcim_awid,
  output logic [63:0]  cl_sh_pcim_awaddr,
  output logic [7:0]   cl_sh_pcim_awlen,
  output logic [2:0]   cl_sh_pcim_awsize,
  output logic [18:0]  cl_sh_pcim_awuser,
  output logic         cl_sh_pcim_awvalid,
  input  logic         sh_cl_pcim_awready,
  output logic [511:0] cl_sh_pcim_wdata,
  output logic [63:0]  cl_sh_pcim_wstrb,
  output logic         cl_sh_pcim_wlast,
  output logic         cl_sh_pcim_wvalid,
  input  logic         sh_cl_pcim_wready,
  input  logic [15:0]  sh_cl_pcim_bid,
  input  logic [1:0]   sh_cl_pcim_bresp,
  input  logic         sh_cl_pcim_bvalid,
  output logic         cl_sh_pcim_bready,
  output logic [15:0]  cl_sh_pcim_arid,
  output logic [63:0]  cl_sh_pcim_araddr,
  output logic [7:0]   cl_sh_pcim_arlen,
  output logic [2:0]   cl_sh_pcim_arsize,
  output logic [18:0]  cl_sh_pcim_aruser,
  output logic         cl_sh_pcim_arvalid,
  input  logic         sh_cl_pcim_arready,
  input  logic [15:0]  sh_cl_pcim_rid,
  input  logic [511:0] sh_cl_pcim_rdata,
  input  logic [1:0]   sh_cl_pcim_rresp,
  input  logic         sh_cl_pcim_rlast,
  input  logic         sh_cl_pcim_rvalid,
  output logic         cl_sh_pcim_rready,
  input  logic [1:0]   cfg_max_payload,
  input  logic [2:0]   cfg_max_read_req,

  // AppPF interrupts
  output logic [15:0]  cl_sh_apppf_irq_req,
  input  logic [15:0]  sh_cl_apppf_irq_ack,

  // DMA_PCIS: AXI4 slave, AppPF BAR4 (every burst INCR)
  input  logic [5:0]   sh_cl_dma_pcis_awid,
  input  logic [63:0]  sh_cl_dma_pcis_awaddr,
  input  logic [7:0]   sh_cl_dma_pcis_awlen,
  input  logic [2:0]   sh_cl_dma_pcis_awsize,
  input  logic         sh_cl_dma_pcis_awvalid,
  output logic         cl_sh_dma_pcis_awready,
  input  logic [511:0] sh_cl_dma_pcis_wdata,
  input  logic [63:0]  sh_cl_dma_pcis_wstrb,
  input  logic         sh_cl_dma_pcis_wlast,
  input  logic         sh_cl_dma_pcis_wvalid,
  output logic         cl_sh_dma_pcis_wready,
  output logic [5:0]   cl_sh_dma_pcis_bid,
  output logic [1:0]   cl_sh_dma_pcis_bresp,
  output logic         cl_sh_dma_pcis_bvalid,
  input  logic         sh_cl_dma_pcis_bready,
  input  logic [5:0]   sh_cl_dma_pcis_arid,
  input  logic [63:0]  sh_cl_dma_pcis_araddr,
  input  logic [7:0]   sh_cl_dma_pcis_arlen,
  input  logic [2:0]   sh_cl_dma_pcis_arsize,
  input  logic         sh_cl_dma_pcis_arvalid,
  output logic         cl_sh_dma_pcis_arready,
  output logic [5:0]   cl_sh_dma_pcis_rid,
  output logic [511:0] cl_sh_dma_pcis_rdata,
  output logic [1:0]   cl_sh_dma_pcis_rresp,
  output logic         cl_sh_dma_pcis_rlast,
  output logic         cl_sh_dma_pcis_rvalid,
  input  logic         sh_cl_dma_pcis_rready,

  // OCL: AXI4-Lite slave, AppPF BAR0
  input  logic         sh_ocl_awvalid,
  input  logic [31:0]  sh_ocl_awaddr,
  output logic         ocl_sh_awready,
  input  logic         sh_ocl_wvalid,
  input  logic [31:0]  sh_ocl_wdata,
  input  logic [3:0]   sh_ocl_wstrb,
  output logic         ocl_sh_wready,
  output logic         ocl_sh_bvalid,
  output logic [1:0]   ocl_sh_bresp,
  input  logic         sh_ocl_bready,
  input  logic         sh_ocl_arvalid,
  input  logic [31:0]  sh_ocl_araddr,
  output logic         ocl_sh_arready,
  output logic         ocl_sh_rvalid,
  output logic [31:0]  ocl_sh_rdata,
  output logic [1:0]   ocl_sh_rresp,
  input  logic         sh_ocl_rready
);
  logic rst_main_n_sync;
`endif

  // ---- reset and function-level reset ----
  // rst_main_n is synchronous to clk_main_a0; one more flop for fan-out. A
  // function-level reset holds the card in reset; done is reported the
  // clock after the card's reset took effect, until the shell lets go.
  logic flr_q, flr_done_q, card_rst_n;

  always_ff @(posedge clk_main_a0) begin
    rst_main_n_sync <= rst_main_n;
  end

  always_ff @(posedge clk_main_a0 or negedge rst_main_n_sync) begin
    if (!rst_main_n_sync) begin
      flr_q      <= 1'b0;
      flr_done_q <= 1'b0;
    end else begin
      flr_q      <= sh_cl_flr_assert;
      flr_done_q <= flr_q && sh_cl_flr_assert;
    end
  end

  assign card_rst_n     = rst_main_n_sync && !flr_q;
  assign cl_sh_flr_done = flr_done_q;

  // The card's default queue count; engines and queues share the 16 vectors.
  localparam int unsigned NumQueues  = hermes_pkg::DEFAULT_QUEUES;
  localparam int unsigned NumVectors = NUM_ENGINES + NumQueues;
  if (NumVectors > 16) begin : g_vector_check
    $error("cl_hermes: NUM_ENGINES + queues must fit the shell's 16 AppPF vectors");
  end

  // ---- identity and status words ----
  logic [NUM_ENGINES-1:0] irq_level;
  logic [NumQueues-1:0]   queue_irq;

  assign cl_sh_id0         = CL_SH_ID0;
  assign cl_sh_id1         = CL_SH_ID1;
  assign cl_sh_status0     = 32'(irq_level);   // engine completions pending
  assign cl_sh_status1     = 32'h4845_524d;    // "HERM"
  // The card stalls DMA_PCIS with its ready signals instead.
  assign cl_sh_dma_wr_full = 1'b0;
  assign cl_sh_dma_rd_full = 1'b0;

  // ---- the card ----
  logic [1:0] unused_pcim_burst_aw, unused_pcim_burst_ar;
  // Outputs of the card no F1 port takes.
  logic                     unused_dma_stop, unused_dma_hold, unused_dma_rst_n;
  logic [NUM_ENGINES-1:0]   unused_rvfi_valid;
  logic [NUM_ENGINES*32-1:0] unused_rvfi_pc;
  logic [NUM_ENGINES*64-1:0] unused_rvfi_insn, unused_rvfi_rd_value, unused_rvfi_mem_addr,
                             unused_rvfi_mem_value;
  logic [NUM_ENGINES*8-1:0] unused_rvfi_rd;
  logic [NUM_ENGINES*2-1:0] unused_rvfi_mem_kind;
  logic [NUM_ENGINES*4-1:0] unused_rvfi_mem_size;

  hermes_card #(
    .NUM_ENGINES (NUM_ENGINES),
    .NUM_QUEUES  (NumQueues),
    .BUILD_ID    (BUILD_ID),
    .ID_W        (6),
    .HOST_ID_W   (16)
  ) u_card (
    .clk_i            (clk_main_a0),
    .rst_ni           (card_rst_n),
    .bar0_awaddr_i    (sh_ocl_awaddr),
    .bar0_awvalid_i   (sh_ocl_awvalid),
    .bar0_awready_o   (ocl_sh_awready),
    .bar0_wdata_i     (sh_ocl_wdata),
    .bar0_wstrb_i     (sh_ocl_wstrb),
    .bar0_wvalid_i    (sh_ocl_wvalid),
    .bar0_wready_o    (ocl_sh_wready),
    .bar0_bresp_o     (ocl_sh_bresp),
    .bar0_bvalid_o    (ocl_sh_bvalid),
    .bar0_bready_i    (sh_ocl_bready),
    .bar0_araddr_i    (sh_ocl_araddr),
    .bar0_arvalid_i   (sh_ocl_arvalid),
    .bar0_arready_o   (ocl_sh_arready),
    .bar0_rdata_o     (ocl_sh_rdata),
    .bar0_rresp_o     (ocl_sh_rresp),
    .bar0_rvalid_o    (ocl_sh_rvalid),
    .bar0_rready_i    (sh_ocl_rready),
    .bar4_awid_i      (sh_cl_dma_pcis_awid),
    .bar4_awaddr_i    (sh_cl_dma_pcis_awaddr),
    .bar4_awlen_i     (sh_cl_dma_pcis_awlen),
    .bar4_awsize_i    (sh_cl_dma_pcis_awsize),
    .bar4_awburst_i   (2'b01),   // DMA_PCIS bursts are INCR
    .bar4_awvalid_i   (sh_cl_dma_pcis_awvalid),
    .bar4_awready_o   (cl_sh_dma_pcis_awready),
    .bar4_wdata_i     (sh_cl_dma_pcis_wdata),
    .bar4_wstrb_i     (sh_cl_dma_pcis_wstrb),
    .bar4_wlast_i     (sh_cl_dma_pcis_wlast),
    .bar4_wvalid_i    (sh_cl_dma_pcis_wvalid),
    .bar4_wready_o    (cl_sh_dma_pcis_wready),
    .bar4_bid_o       (cl_sh_dma_pcis_bid),
    .bar4_bresp_o     (cl_sh_dma_pcis_bresp),
    .bar4_bvalid_o    (cl_sh_dma_pcis_bvalid),
    .bar4_bready_i    (sh_cl_dma_pcis_bready),
    .bar4_arid_i      (sh_cl_dma_pcis_arid),
    .bar4_araddr_i    (sh_cl_dma_pcis_araddr),
    .bar4_arlen_i     (sh_cl_dma_pcis_arlen),
    .bar4_arsize_i    (sh_cl_dma_pcis_arsize),
    .bar4_arburst_i   (2'b01),
    .bar4_arvalid_i   (sh_cl_dma_pcis_arvalid),
    .bar4_arready_o   (cl_sh_dma_pcis_arready),
    .bar4_rid_o       (cl_sh_dma_pcis_rid),
    .bar4_rdata_o     (cl_sh_dma_pcis_rdata),
    .bar4_rresp_o     (cl_sh_dma_pcis_rresp),
    .bar4_rlast_o     (cl_sh_dma_pcis_rlast),
    .bar4_rvalid_o    (cl_sh_dma_pcis_rvalid),
    .bar4_rready_i    (sh_cl_dma_pcis_rready),
    .host_awid_o      (cl_sh_pcim_awid),
    .host_awaddr_o    (cl_sh_pcim_awaddr),
    .host_awlen_o     (cl_sh_pcim_awlen),
    .host_awsize_o    (cl_sh_pcim_awsize),
    .host_awburst_o   (unused_pcim_burst_aw),   // PCIM bursts are INCR
    .host_awvalid_o   (cl_sh_pcim_awvalid),
    .host_awready_i   (sh_cl_pcim_awready),
    .host_wdata_o     (cl_sh_pcim_wdata),
    .host_wstrb_o     (cl_sh_pcim_wstrb),
    .host_wlast_o     (cl_sh_pcim_wlast),
    .host_wvalid_o    (cl_sh_pcim_wvalid),
    .host_wready_i    (sh_cl_pcim_wready),
    .host_bid_i       (sh_cl_pcim_bid),
    .host_bresp_i     (sh_cl_pcim_bresp),
    .host_bvalid_i    (sh_cl_pcim_bvalid),
    .host_bready_o    (cl_sh_pcim_bready),
    .host_arid_o      (cl_sh_pcim_arid),
    .host_araddr_o    (cl_sh_pcim_araddr),
    .host_arlen_o     (cl_sh_pcim_arlen),
    .host_arsize_o    (cl_sh_pcim_arsize),
    .host_arburst_o   (unused_pcim_burst_ar),
    .host_arvalid_o   (cl_sh_pcim_arvalid),
    .host_arready_i   (sh_cl_pcim_arready),
    .host_rid_i       (sh_cl_pcim_rid),
    .host_rdata_i     (sh_cl_pcim_rdata),
    .host_rresp_i     (sh_cl_pcim_rresp),
    .host_rlast_i     (sh_cl_pcim_rlast),
    .host_rvalid_i    (sh_cl_pcim_rvalid),
    .host_rready_o    (cl_sh_pcim_rready),
    .irq_req_o        (irq_level),
    .queue_irq_o      (queue_irq),
    .queue_irq_ack_i  (sh_cl_apppf_irq_ack[NUM_ENGINES +: NumQueues]),
    .irq_ack_i        (sh_cl_apppf_irq_ack[NUM_ENGINES-1:0]),
    // F1's DMA engine is in the shell and cannot be told about a card
    // reset: the card drains only its own BAR4 bursts.
    .shell_dma_stop_o (unused_dma_stop),
    .shell_dma_hold_o (unused_dma_hold),
    .shell_dma_rst_no (unused_dma_rst_n),
    .shell_dma_busy_i (1'b0),
    .rvfi_valid_o     (unused_rvfi_valid),
    .rvfi_pc_o        (unused_rvfi_pc),
    .rvfi_insn_o      (unused_rvfi_insn),
    .rvfi_rd_o        (unused_rvfi_rd),
    .rvfi_rd_value_o  (unused_rvfi_rd_value),
    .rvfi_mem_kind_o  (unused_rvfi_mem_kind),
    .rvfi_mem_size_o  (unused_rvfi_mem_size),
    .rvfi_mem_addr_o  (unused_rvfi_mem_addr),
    .rvfi_mem_value_o (unused_rvfi_mem_value)
  );

  assign cl_sh_pcim_awuser = '0;
  assign cl_sh_pcim_aruser = '0;

  // ---- interrupts: engine e is vector e, queue q vector NUM_ENGINES + q,
  // as the simulated card numbers its user interrupts; a pulse per rise.
  // A queue's request is held by the card until the shell's ack of its
  // pulse (the same ack goes to the card), then dropped: the next
  // moderation event rises again and gets its own pulse ----
  logic [NumVectors-1:0] irq_req;

  hermes_irq_pulse #(.N(NumVectors)) u_irq (
    .clk_i   (clk_main_a0),
    .rst_ni  (card_rst_n),
    .level_i ({queue_irq, irq_level}),
    .req_o   (irq_req),
    .ack_i   (sh_cl_apppf_irq_ack[NumVectors-1:0])
  );

  assign cl_sh_apppf_irq_req = 16'(irq_req);

  logic unused;
  assign unused = ^{unused_dma_stop, unused_dma_hold, unused_dma_rst_n, unused_rvfi_valid,
                    unused_rvfi_pc, unused_rvfi_insn, unused_rvfi_rd, unused_rvfi_rd_value,
                    unused_rvfi_mem_kind, unused_rvfi_mem_size, unused_rvfi_mem_addr,
                    unused_rvfi_mem_value, unused_pcim_burst_aw, unused_pcim_burst_ar,
                    cfg_max_payload, cfg_max_read_req, sh_cl_apppf_irq_ack};

endmodule
