pub mod codegen;
pub mod containers;
pub mod deploy;
pub mod dev;
pub mod doctor;
pub mod generate;
