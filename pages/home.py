import streamlit as st

st.write("home")
