// SPDX-License-Identifier: MIT
// Hermes card top: BAR0 AXI-Lite slave (identity and geometry registers,
// per-engine command processors), one user interrupt per engine.
module hermes_top #(
  parameter int unsigned  NUM_ENGINES     = hermes_pkg::DEFAULT_ENGINES,
  parameter int unsigned  NUM_PROG_SLOTS  = hermes_pkg::DEFAULT_PROG_SLOTS,
  parameter int unsigned  NUM_DATA_SLOTS  = hermes_pkg::DEFAULT_DATA_SLOTS,
  parameter int unsigned  PROG_SLOT_BYTES = hermes_pkg::DEFAULT_PROG_SLOT_SIZE,
  parameter int unsigned  DATA_SLOT_BYTES = hermes_pkg::DEFAULT_DATA_SLOT_SIZE,
  parameter int unsigned  MAX_INSNS       = hermes_pkg::DEFAULT_MAX_INSNS,
  parameter logic [383:0] BUILD_ID        = '0
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,

  // BAR0: AXI4-Lite slave (XDMA M_AXI_LITE user BAR).
  input  logic [15:0]            bar0_awaddr_i,
  input  logic                   bar0_awvalid_i,
  output logic                   bar0_awready_o,
  input  logic [31:0]            bar0_wdata_i,
  input  logic [3:0]             bar0_wstrb_i,
  input  logic                   bar0_wvalid_i,
  output logic                   bar0_wready_o,
  output logic [1:0]             bar0_bresp_o,
  output logic                   bar0_bvalid_o,
  input  logic                   bar0_bready_i,
  input  logic [15:0]            bar0_araddr_i,
  input  logic                   bar0_arvalid_i,
  output logic                   bar0_arready_o,
  output logic [31:0]            bar0_rdata_o,
  output logic [1:0]             bar0_rresp_o,
  output logic                   bar0_rvalid_o,
  input  logic                   bar0_rready_i,

  // User interrupts (XDMA usr_irq_req), one per engine.
  output logic [NUM_ENGINES-1:0] usr_irq_o
);

  localparam int unsigned Caps = 0;

  logic        reg_req, reg_we;
  logic [15:0] reg_addr;
  logic [31:0] reg_wdata, reg_rdata;
  logic [3:0]  reg_wstrb;
  logic        reg_err;

  hermes_axil_regbus #(.ADDR_W(16)) u_bar0_bridge (
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
    .req_o       (reg_req),
    .we_o        (reg_we),
    .addr_o      (reg_addr),
    .wdata_o     (reg_wdata),
    .wstrb_o     (reg_wstrb),
    .rdata_i     (reg_rdata),
    .err_i       (reg_err)
  );

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

  // Command side of BAR0: one command processor per engine.
  logic                      ctrl_hit, ctrl_err;
  logic [31:0]               ctrl_rdata;
  logic [NUM_ENGINES-1:0]    eng_start, eng_abort, eng_busy, eng_done;
  logic [NUM_ENGINES*8-1:0]  eng_prog_slot, eng_data_slot;
  logic [NUM_ENGINES*32-1:0] eng_prog_len, eng_data_len, eng_max_insns, eng_fault_pc;
  logic [NUM_ENGINES*4-1:0]  eng_fault_cause;
  logic [NUM_ENGINES*64-1:0] eng_fault_addr, eng_r0, eng_insns, eng_cycles;

  hermes_ctrl #(
    .NUM_ENGINES     (NUM_ENGINES),
    .NUM_PROG_SLOTS  (NUM_PROG_SLOTS),
    .NUM_DATA_SLOTS  (NUM_DATA_SLOTS),
    .PROG_SLOT_BYTES (PROG_SLOT_BYTES),
    .DATA_SLOT_BYTES (DATA_SLOT_BYTES),
    .MAX_INSNS       (MAX_INSNS)
  ) u_ctrl (
    .clk_i,
    .rst_ni,
    .reg_req_i         (reg_req),
    .reg_we_i          (reg_we),
    .reg_addr_i        (reg_addr),
    .reg_wdata_i       (reg_wdata),
    .reg_wstrb_i       (reg_wstrb),
    .reg_hit_o         (ctrl_hit),
    .reg_rdata_o       (ctrl_rdata),
    .reg_err_o         (ctrl_err),
    .eng_start_o       (eng_start),
    .eng_prog_slot_o   (eng_prog_slot),
    .eng_data_slot_o   (eng_data_slot),
    .eng_prog_len_o    (eng_prog_len),
    .eng_data_len_o    (eng_data_len),
    .eng_max_insns_o   (eng_max_insns),
    .eng_abort_o       (eng_abort),
    .eng_busy_i        (eng_busy),
    .eng_done_i        (eng_done),
    .eng_fault_cause_i (eng_fault_cause),
    .eng_fault_pc_i    (eng_fault_pc),
    .eng_fault_addr_i  (eng_fault_addr),
    .eng_r0_i          (eng_r0),
    .eng_insns_i       (eng_insns),
    .eng_cycles_i      (eng_cycles),
    .irq_o             (usr_irq_o)
  );

  // Engines are not instantiated yet (issue [4/10]): a Run Program command
  // never completes, and the host's timeout reports it.
  assign eng_busy        = '0;
  assign eng_done        = '0;
  assign eng_fault_cause = '0;
  assign eng_fault_pc    = '0;
  assign eng_fault_addr  = '0;
  assign eng_r0          = '0;
  assign eng_insns       = '0;
  assign eng_cycles      = '0;

  // Identity registers are read-only; unmapped offsets answer SLVERR.
  assign reg_rdata = id_hit ? id_rdata : ctrl_rdata;
  assign reg_err   = id_hit ? reg_we : (!ctrl_hit || ctrl_err);

  logic unused_eng;
  assign unused_eng = ^{eng_start, eng_abort, eng_prog_slot, eng_data_slot, eng_prog_len,
                        eng_data_len, eng_max_insns};

endmodule
